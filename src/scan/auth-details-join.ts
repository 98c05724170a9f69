/**
 * The portal's two interactive sign-in downloads, read as one: InteractiveSignIns_AuthDetails_*.csv holds one row
 * per authentication step, keyed by the sign-in's Request ID, that InteractiveSignIns_*.csv lacks. `scan` reads the
 * auth-details inputs first, whole, into this join (in memory: the portal caps a download at about 250,000 rows),
 * then streams the other inputs; each sign-in with a matching Request ID gets its rows, in file order, as
 * properties.authenticationDetails (normalizeRecord asks stepsOf). Rows whose sign-in never came are handed back at
 * the end and emitted as today's SignInAuthenticationDetails events: never dropped.
 */
import type { DecodeFailure, DecodeResult } from '../decode/types.js';
import { authenticationStepOfCsvRow } from '../normalize/csv-columns.js';
import type { AuthenticationStepLookup } from '../normalize/index.js';
import type { JsonObject } from '../normalize/values.js';

type DecodedRow = Extract<DecodeResult, { ok: true }>;

export interface AuthDetailsCounts {
  /** auth-details rows whose sign-in was among the inputs */
  joined: number;
  /** auth-details rows whose sign-in was not (emitted as SignInAuthenticationDetails events) */
  unjoined: number;
  /** sign-in events that got steps from the rows (not those that carried their own) */
  signIns: number;
}

export class AuthDetailsJoin implements AuthenticationStepLookup {
  /** every row in input order, to hand the unjoined ones back in that order */
  private readonly rows: Array<{ signInId: string | undefined; row: DecodedRow }> = [];
  private readonly bySignIn = new Map<string, DecodedRow[]>();
  private readonly seen = new Set<string>();
  private signInsGivenSteps = 0;

  /** An auth-details row (format csv-signin-authdetails), in file order: the order of the sign-in's steps. */
  add(row: DecodedRow): void {
    const { signInId } = authenticationStepOfCsvRow(row.record);
    this.rows.push({ signInId, row });
    if (signInId === undefined) return; // no Request ID: it can never join, it stays an event of its own
    const list = this.bySignIn.get(signInId);
    if (list) list.push(row);
    else this.bySignIn.set(signInId, [row]);
  }

  get size(): number {
    return this.rows.length;
  }

  stepsOf(signInId: string, logged: boolean): JsonObject[] | undefined {
    const rows = this.bySignIn.get(signInId);
    if (rows === undefined) return undefined;
    this.seen.add(signInId);
    if (logged) return undefined;
    this.signInsGivenSteps++;
    // Built per sign-in, not shared: the same sign-in in two inputs gets two independent lists.
    return rows.map((r) => authenticationStepOfCsvRow(r.record).step);
  }

  /** The rows no sign-in asked for, in input order. Only final once every sign-in input has been read. */
  *unjoined(): Generator<DecodedRow> {
    for (const { signInId, row } of this.rows) {
      if (signInId === undefined || !this.seen.has(signInId)) yield row;
    }
  }

  counts(): AuthDetailsCounts {
    let joined = 0;
    for (const id of this.seen) joined += this.bySignIn.get(id)?.length ?? 0;
    return { joined, unjoined: this.rows.length - joined, signIns: this.signInsGivenSteps };
  }
}

export type SplitInput = { authDetails: true; failures: DecodeFailure[] } | { authDetails: false; input: AsyncIterable<DecodeResult> };

/**
 * Reads one input whole into `join` when it is an auth-details download, told by content as decoding tells it
 * (the CSV header sets the format of every row), not by file name; any other input is handed back with its first
 * results replayed, to be streamed. Unreadable rows of an auth-details file are handed back to report.
 */
export async function splitAuthDetailsInput(input: AsyncIterable<DecodeResult>, join: AuthDetailsJoin): Promise<SplitInput> {
  const it = input[Symbol.asyncIterator]();
  const head: DecodeResult[] = [];
  let first: DecodedRow | undefined;
  for (let next = await it.next(); !next.done; next = await it.next()) {
    head.push(next.value);
    if (next.value.ok) {
      first = next.value;
      break;
    }
  }
  if (first === undefined || first.format !== 'csv-signin-authdetails') return { authDetails: false, input: replay(head, it) };
  const failures: DecodeFailure[] = [];
  const take = (r: DecodeResult): void => {
    if (r.ok) join.add(r);
    else failures.push(r);
  };
  head.forEach(take);
  for (let next = await it.next(); !next.done; next = await it.next()) take(next.value);
  return { authDetails: true, failures };
}

async function* replay(head: DecodeResult[], rest: AsyncIterator<DecodeResult>): AsyncGenerator<DecodeResult> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}
