/**
 * Authentication steps logged apart from their sign-in. Event Hubs and Graph carry them inside the sign-in
 * (`properties.authenticationDetails`); the portal exports them as a second CSV (InteractiveSignIns_AuthDetails_*,
 * one row per step, keyed by the sign-in's Request ID). normalizeRecord asks a lookup for them before it computes
 * the canonical fields and CIM, so rules see a joined CSV sign-in exactly as they see a streamed one.
 */
import { copyObject, text, type JsonObject } from './values.js';

export interface AuthenticationStepLookup {
  /**
   * The steps to attach to sign-in `signInId` (Graph authenticationDetails entries, in step order), or undefined.
   * Asked for every sign-in with an id, also when it carries steps of its own (`logged`): those win and are never
   * doubled, but the lookup still learns that the sign-in came (its rows are joined, not left over).
   */
  stepsOf(signInId: string, logged: boolean): JsonObject[] | undefined;
}

/** `properties` with the looked-up steps (a copy: `properties` may be part of the raw record), or unchanged. */
export function withJoinedSteps(properties: JsonObject, lookup: AuthenticationStepLookup): JsonObject {
  const id = text(properties.id);
  if (id === undefined) return properties;
  const own = properties.authenticationDetails;
  // An empty list is what Graph writes when it has no steps: nothing to keep, so the exported ones fill it.
  const logged = Array.isArray(own) && own.length > 0;
  const steps = lookup.stepsOf(id, logged);
  if (logged || steps === undefined || steps.length === 0) return properties;
  const joined = copyObject(properties);
  joined.authenticationDetails = steps;
  return joined;
}
