/**
 * CIM Change `action` of an audit event, read from its operationName (activity) first, then operationType.
 * The first matching row wins. Unknown verbs (e.g. "Issue an id_token to the application") leave action out.
 */
const BY_OPERATION_NAME: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:hard\s+)?(?:delete|remove)\b/i, 'deleted'],
  [/^(?:add|create)\b/i, 'created'],
  [/^(?:update|set|change|reset|enable|disable|upload|restore)\b/i, 'modified'],
  [/^(?:get|read|list|download)\b/i, 'read'],
];

const BY_OPERATION_TYPE: Readonly<Record<string, string>> = {
  add: 'created',
  create: 'created',
  delete: 'deleted',
  remove: 'deleted',
  update: 'modified',
  assign: 'modified',
  unassign: 'modified',
  set: 'modified',
  reset: 'modified',
  read: 'read',
};

export function changeAction(operationName: string | undefined, operationType: string | undefined): string | undefined {
  if (operationName !== undefined) {
    for (const [pattern, action] of BY_OPERATION_NAME) if (pattern.test(operationName)) return action;
  }
  if (operationType !== undefined) {
    const key = operationType.toLowerCase();
    if (Object.hasOwn(BY_OPERATION_TYPE, key)) return BY_OPERATION_TYPE[key];
  }
  return undefined;
}
