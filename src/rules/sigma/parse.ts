/**
 * Parses Sigma YAML text (one or more documents) into typed rules (ParsedRule) and correlation documents,
 * keeping the line of every selection and field entry for error messages. Accepts SigmaHQ's keys and our own
 * extras (`seed_rows`, `name`, `suppress`, `generate`, ...): unknown top-level keys stay in `raw`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import { RuleLoadError } from '../../errors.js';
import { compileFieldAccessor } from '../fields/index.js';
import type { RuleLevel, RuleMeta } from '../types.js';
import type { ConditionNode, ParsedRule, RawCorrelationDoc, SigmaFieldMatch, SigmaSelection, SigmaValue } from './ast.js';
import { checkConditionReferences, ConditionError, parseConditions } from './condition.js';

export type ParsedDocument =
  | { type: 'rule'; rule: ParsedRule }
  | { type: 'correlation'; correlation: RawCorrelationDoc }
  | { type: 'error'; error: RuleLoadError };

const LEVELS: readonly RuleLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];
/** detection keys that are not selections */
const DETECTION_RESERVED = new Set(['condition', 'timeframe']);

class DocContext {
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
    public title: string | undefined,
    readonly docLine: number,
  ) {}

  lineOf(node: Node | Pair | null | undefined): number {
    const range = node && 'range' in node ? node.range : node && 'key' in node ? (node.key as Node | null)?.range : undefined;
    return range ? this.lines.linePos(range[0]).line : this.docLine;
  }

  error(problem: string, line?: number): RuleLoadError {
    return new RuleLoadError(this.file, this.title, line ?? this.docLine, problem);
  }
}

function stringList(value: unknown, key: string, ctx: DocContext): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  throw ctx.error(`${key} must be a string or a list of strings`);
}

function optionalString(value: unknown, key: string, ctx: DocContext): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw ctx.error(`${key} must be a string`);
}

function parseMeta(raw: Record<string, unknown>, ctx: DocContext, needsLogsource: boolean): RuleMeta {
  const title = raw.title;
  if (typeof title !== 'string' || title.trim() === '') throw ctx.error('title is missing: every rule needs a title');
  const levelRaw = raw.level;
  let level: RuleLevel = 'medium';
  if (levelRaw !== undefined && levelRaw !== null) {
    const l = String(levelRaw).toLowerCase() as RuleLevel;
    if (!LEVELS.includes(l)) throw ctx.error(`level "${String(levelRaw)}" is not one of ${LEVELS.join(', ')}`);
    level = l;
  }
  const ls = raw.logsource;
  if (needsLogsource && (typeof ls !== 'object' || ls === null || Array.isArray(ls))) {
    throw ctx.error('logsource is missing: write e.g. logsource: {product: azure, service: signinlogs}');
  }
  const logsourceRaw = (typeof ls === 'object' && ls !== null ? ls : {}) as Record<string, unknown>;
  const logsource: RuleMeta['logsource'] = {};
  for (const k of ['product', 'service', 'category', 'definition'] as const) {
    const v = optionalString(logsourceRaw[k], `logsource.${k}`, ctx);
    if (v !== undefined) logsource[k] = v;
  }
  const name = optionalString(raw.name, 'name', ctx);
  const id = optionalString(raw.id, 'id', ctx) ?? generatedId(title, name);
  const meta: RuleMeta = {
    id,
    title,
    level,
    tags: stringList(raw.tags, 'tags', ctx),
    seedRows: stringList(raw.seed_rows, 'seed_rows', ctx),
    falsepositives: stringList(raw.falsepositives, 'falsepositives', ctx),
    references: stringList(raw.references, 'references', ctx),
    logsource,
    file: ctx.file,
    line: ctx.docLine,
  };
  if (name !== undefined) meta.name = name;
  const description = optionalString(raw.description, 'description', ctx);
  if (description !== undefined) meta.description = description;
  const status = optionalString(raw.status, 'status', ctx);
  if (status !== undefined) meta.status = status;
  return meta;
}

/** A stable id for a rule written without `id:` (lint warns about it): derived from title and name. */
function generatedId(title: string, name: string | undefined): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const text = `${title}\u0000${name ?? ''}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `noid-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

function scalarValue(node: unknown, where: string, ctx: DocContext): SigmaValue {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    return String(v);
  }
  throw ctx.error(`${where}: a value must be a string, number, boolean or null (or a list of them)`, ctx.lineOf(node as Node));
}

function parseValues(node: unknown, where: string, ctx: DocContext): SigmaValue[] {
  if (isSeq(node)) {
    if (node.items.length === 0) throw ctx.error(`${where}: the list of values is empty`, ctx.lineOf(node));
    return node.items.map((item) => scalarValue(item, where, ctx));
  }
  return [scalarValue(node, where, ctx)];
}

function parseFieldEntry(pair: Pair, selection: string, ctx: DocContext): SigmaFieldMatch {
  const keyNode = pair.key;
  const line = ctx.lineOf(isScalar(keyNode) ? keyNode : (pair.value as Node));
  const key = isScalar(keyNode) ? String(keyNode.value ?? '') : '';
  const [fieldPart, ...mods] = key.split('|');
  const field = fieldPart.trim() === '' ? null : fieldPart.trim();
  const where = `selection "${selection}", ${key || '(empty key)'}`;
  if (field === null && mods.length === 0) throw ctx.error(`${where}: the field name is empty`, line);
  const match: SigmaFieldMatch = {
    field,
    modifiers: mods.map((m) => m.trim().toLowerCase()),
    values: parseValues(pair.value, where, ctx),
    line,
  };
  if (field !== null) {
    try {
      match.accessor = compileFieldAccessor(field);
    } catch (err) {
      throw ctx.error(`${where}: ${(err as Error).message}`, line);
    }
  }
  return match;
}

function parseMapBranch(node: Node, selection: string, ctx: DocContext): SigmaFieldMatch[] {
  if (!isMap(node)) throw ctx.error(`selection "${selection}" must be a map, a list of maps or a list of values`, ctx.lineOf(node));
  if (node.items.length === 0) throw ctx.error(`selection "${selection}" is empty`, ctx.lineOf(node));
  return node.items.map((pair) => parseFieldEntry(pair as Pair, selection, ctx));
}

function parseSelection(name: string, node: unknown, line: number, ctx: DocContext): SigmaSelection {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) {
    throw ctx.error(`selection "${name}" is empty`, line);
  }
  if (isMap(node)) return { name, kind: 'map', matches: [parseMapBranch(node, name, ctx)], line };
  if (isSeq(node)) {
    if (node.items.length === 0) throw ctx.error(`selection "${name}" is an empty list`, line);
    if (node.items.every((i) => isMap(i))) {
      return { name, kind: 'list-of-maps', matches: node.items.map((i) => parseMapBranch(i as Node, name, ctx)), line };
    }
    if (node.items.some((i) => isMap(i) || isSeq(i))) {
      throw ctx.error(`selection "${name}" mixes maps and plain values: write two selections`, line);
    }
    return {
      name,
      kind: 'keywords',
      matches: [[{ field: null, modifiers: [], values: node.items.map((i) => scalarValue(i, `selection "${name}"`, ctx)), line }]],
      line,
    };
  }
  if (isScalar(node)) {
    return { name, kind: 'keywords', matches: [[{ field: null, modifiers: [], values: [scalarValue(node, name, ctx)], line }]], line };
  }
  throw ctx.error(`selection "${name}" must be a map, a list of maps or a list of values`, line);
}

function parseDetection(doc: Document, ctx: DocContext): { selections: Record<string, SigmaSelection>; condition: ConditionNode } {
  const detection = doc.get('detection', true) as unknown;
  const detLine = ctx.lineOf((doc.contents && isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'detection') : undefined) as Pair | undefined);
  if (!isMap(detection)) throw ctx.error('detection must be a map of selections and a condition', detLine);
  const selections: Record<string, SigmaSelection> = {};
  let conditionPair: Pair | undefined;
  for (const item of detection.items) {
    const pair = item as Pair;
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'condition') {
      conditionPair = pair;
      continue;
    }
    if (DETECTION_RESERVED.has(key)) continue;
    selections[key] = parseSelection(key, pair.value, ctx.lineOf(pair), ctx);
  }
  if (Object.keys(selections).length === 0) throw ctx.error('detection has no selection', detLine);
  if (!conditionPair) throw ctx.error('detection.condition is missing (e.g. condition: selection)', detLine);
  const condLine = ctx.lineOf(conditionPair);
  let condition: ConditionNode;
  try {
    const condValue = conditionPair.value && (isScalar(conditionPair.value) || isSeq(conditionPair.value)) ? (conditionPair.value as Node).toJSON() : undefined;
    condition = parseConditions(condValue);
    checkConditionReferences(condition, Object.keys(selections));
  } catch (err) {
    if (err instanceof ConditionError) throw ctx.error(err.message, condLine);
    throw err;
  }
  return { selections, condition };
}

function parseOneDocument(doc: Document, file: string, lines: LineCounter): ParsedDocument | undefined {
  const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  const docLine = lines.linePos(start).line;
  const ctx = new DocContext(file, lines, undefined, docLine);
  try {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      throw ctx.error(`invalid YAML: ${e.message.split('\n')[0]}`, lines.linePos(e.pos[0]).line);
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return undefined;
    if (!isMap(doc.contents)) throw ctx.error('a rule document must be a YAML map');
    const raw = doc.toJS() as Record<string, unknown>;
    if (typeof raw.title === 'string') ctx.title = raw.title;
    if (raw.action !== undefined) throw ctx.error('Sigma v1 rule collections (action: global/reset/repeat) are not supported: write each rule in full');
    if (raw.correlation !== undefined) {
      const correlation = raw.correlation;
      if (typeof correlation !== 'object' || correlation === null || Array.isArray(correlation)) {
        throw ctx.error('correlation must be a map (type, rules, group-by, timespan, condition)');
      }
      return { type: 'correlation', correlation: { meta: parseMeta(raw, ctx, false), correlation: correlation as Record<string, unknown>, raw } };
    }
    if (raw.detection === undefined) {
      if (raw.filter !== undefined) throw ctx.error('Sigma meta filters are not supported: put the filter in the rule condition');
      throw ctx.error('the document has neither detection nor correlation');
    }
    const meta = parseMeta(raw, ctx, true);
    const { selections, condition } = parseDetection(doc, ctx);
    return { type: 'rule', rule: { meta, selections, condition, raw } };
  } catch (err) {
    if (err instanceof RuleLoadError) return { type: 'error', error: err };
    throw err;
  }
}

/** Parses every YAML document of a file; each result is a rule, a correlation or the error of that document. */
export function parseSigmaDocuments(text: string, file: string): ParsedDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) {
    // an empty stream
    return [];
  }
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    const parsed = parseOneDocument(doc as Document, file, lines);
    if (parsed) out.push(parsed);
  }
  return out;
}
