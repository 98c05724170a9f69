/**
 * CIM Change `action` of an audit event, read from its operationName (activity) first, then operationType.
 * The first matching row wins. Unknown verbs (e.g. "Issue an id_token to the application") leave action out.
 */
import { memoByString } from '../memo.js';

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

function actionOfName(operationName: string): string | undefined {
  for (const [pattern, action] of BY_OPERATION_NAME) if (pattern.test(operationName)) return action;
  return undefined;
}

function actionOfType(operationType: string): string | undefined {
  const key = operationType.toLowerCase();
  return Object.hasOwn(BY_OPERATION_TYPE, key) ? BY_OPERATION_TYPE[key] : undefined;
}

// by the exact string: a tenant logs a few dozen activity names, and every audit would run the regexes again
const actionByName = memoByString(actionOfName);
const actionByType = memoByString(actionOfType);

export function changeAction(operationName: string | undefined, operationType: string | undefined): string | undefined {
  const byName = operationName !== undefined ? actionByName(operationName) : undefined;
  if (byName !== undefined) return byName;
  return operationType !== undefined ? actionByType(operationType) : undefined;
}
