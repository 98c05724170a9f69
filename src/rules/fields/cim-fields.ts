/**
 * The Splunk CIM field names a rule may use bare (`user`, `src_ip`): they resolve to `event.cim.<name>`.
 * Authentication and Change data models plus the names the Splunk Add-on for Microsoft Cloud Services sets for
 * sourcetype azure:monitor:aad, plus the extras src/normalize sets (app_id, error_code, is_interactive,
 * authentication_protocol, country, city, id, result). A name that is also a Log Analytics column (`Status`, `Result`, `Category`) means
 * the column: use `cim.status` to reach the CIM field.
 */
export const CIM_FIELD_NAMES: readonly string[] = [
  'action',
  'app',
  'app_id',
  'authentication_method',
  'authentication_protocol',
  'authentication_service',
  'change_type',
  'city',
  'command',
  'country',
  'dest',
  'dest_category',
  'dest_type',
  'duration',
  'dvc',
  'error_code',
  'id',
  'is_interactive',
  'object',
  'object_attrs',
  'object_category',
  'object_id',
  'object_path',
  'reason',
  'reason_id',
  'response_time',
  'result_id',
  'severity',
  'signature',
  'signature_id',
  'src',
  'src_category',
  'src_ip',
  'src_user',
  'src_user_category',
  'src_user_id',
  'src_user_type',
  'tag',
  'user',
  'user_agent',
  'user_category',
  'user_id',
  'user_role',
  'user_type',
  'vendor_account',
  'vendor_product',
];

const CIM_SET = new Set(CIM_FIELD_NAMES);

export function isCimFieldName(name: string): boolean {
  return CIM_SET.has(name.toLowerCase());
}
