/**
 * Names of the Splunk objects built from rules: the saved search of a rule is `entrawatch - <rule title> - Rule`
 * (ESCU's "<vendor> - <title> - Rule" convention), so analysts find the same detection under the same name in the
 * bundled app and in docs/coverage.md.
 */
import type { RuleMeta } from '../rules/types.js';

export function savedSearchName(meta: Pick<RuleMeta, 'title'>): string {
  return `entrawatch - ${meta.title.trim()} - Rule`;
}
