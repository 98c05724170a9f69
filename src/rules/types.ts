/**
 * Types shared by the rule engine (src/rules), the pipeline, the sinks and the Splunk app builder.
 */
import type { EntraEvent } from '../normalize/event.js';

export type RuleLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

/** Metadata of a Sigma rule or correlation rule, as loaded from YAML. */
export interface RuleMeta {
  /** UUID (`id:`) */
  id: string;
  /** `name:` (unique; correlations refer to rules by name or id) */
  name?: string;
  title: string;
  description?: string;
  level: RuleLevel;
  status?: string;
  tags: string[];
  /** ids of the guide's rows this rule implements (`seed_rows:` in YAML), e.g. ["CA-4"] */
  seedRows: string[];
  falsepositives: string[];
  references: string[];
  logsource: { product?: string; service?: string; category?: string; definition?: string };
  /** file the rule was loaded from and the 1-based line of its document */
  file: string;
  line: number;
}

/**
 * A field accessor compiled once per rule from a field name (record path, CIM field or Log Analytics column).
 * `get` returns every leaf value found (arrays are flattened, as Splunk's `{}`): [] when the field is absent.
 */
export interface FieldAccessor {
  /** the name as written in the rule */
  name: string;
  /** what it resolved to, e.g. `fields.properties.status.errorCode` or `cim.user` */
  resolved: string;
  get(event: EntraEvent): unknown[];
}

/** A detection as emitted by entrawatch (CIM Alerts fields + evidence). Serialized as JSON to every sink. */
export interface Detection {
  /** deterministic: hash of rule id + group key + window (or event id for single-event rules) */
  id: string;
  rule: {
    id: string;
    name?: string;
    title: string;
    level: RuleLevel;
    seedRows: string[];
    tags: string[];
  };
  /** detection time, epoch ms: the event time for single-event rules, the window end for correlations */
  time: number;
  window?: { start: number; end: number };
  /** group-by field -> value for correlations; {} for single-event rules */
  group: Record<string, string>;
  /** CIM Alerts fields */
  cim: {
    app: string;
    dest?: string;
    signature: string;
    signature_id: string;
    severity: 'critical' | 'high' | 'medium' | 'low' | 'informational';
    src?: string;
    user?: string;
    type: 'alert';
    description: string;
    mitre_technique_id?: string[];
  };
  evidence: {
    eventIds: string[];
    count?: number;
    /** the values counted / compared, e.g. distinct users for value_count, the observed rate for rate_change */
    values?: Record<string, unknown>;
    /** old -> new values for change events (modifiedProperties) */
    changes?: Array<{ target?: string; property: string; old: unknown; new: unknown }>;
  };
}
