/**
 * toLowerCase with a tiny memo: the same record strings (activity name, user agent) are lowercased by the rule
 * index and then by several candidate rules of one event; the last few results are kept and found by identity.
 */
const SIZE = 8;
const inputs: string[] = new Array<string>(SIZE).fill('');
const outputs: string[] = new Array<string>(SIZE).fill('');
let next = 0;

export function lowerCached(s: string): string {
  for (let i = 0; i < SIZE; i++) if (inputs[i] === s) return outputs[i];
  const lower = s.toLowerCase();
  inputs[next] = s;
  outputs[next] = lower;
  next = (next + 1) % SIZE;
  return lower;
}
