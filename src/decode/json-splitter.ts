/**
 * JsonSplitter: an incremental splitter that cuts a stream of JSON text into one text slice per record, without
 * parsing it, so that a 2 GB `{"records":[...]}` or `[...]` file is never held in memory and one malformed record
 * fails alone.
 *
 * Written by hand (not a streaming JSON parser dependency) for speed and to have no dependency: it only tracks
 * strings, escapes, nesting depth and line numbers (strings are skipped with indexOf, not char by char), and each
 * slice is then given to the native JSON.parse, which is far faster than any JS streaming parser.
 *
 * What becomes an item:
 * - a top-level `[...]`: each element (index = position in the array);
 * - a top-level `{...}` whose depth-1 key `"records"` or `"value"` holds an array (an Event Hubs envelope or a
 *   Graph page): each element of that array; the other keys of the envelope are skipped;
 * - any other top-level `{...}`: the whole object (a bare record; NDJSON and concatenated documents work).
 * Recovery: in a file whose first value fits on one line (NDJSON), a newline inside an unfinished value ends that
 * line as a failure and splitting resumes on the next line. Text that is not JSON at top level fails line by line.
 * Limits: an item nested deeper than `maxDepth` or longer than `maxItemChars` fails (its text is not kept).
 * Known limit: a bare record with its own depth-1 `"records": [...]` or `"value": [...]` key is read as an envelope.
 */

export type SplitItem =
  | { kind: 'value'; text: string; line: number; index?: number }
  | { kind: 'error'; reason: string; snippet: string; line: number; index?: number };

export interface JsonSplitterOptions {
  /** nesting depth allowed inside one item (Entra records use about 6) */
  maxDepth?: number;
  /** longest item kept, in UTF-16 chars */
  maxItemChars?: number;
  /** start in line mode (NDJSON recovery) */
  linesMode?: boolean;
  /** line number of the first char (for re-splitting a remainder) */
  firstLine?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_ITEM_CHARS = 32 * 1024 * 1024;
export const SNIPPET_CHARS = 200;

const ENVELOPE_KEY_TAIL = /"(?:records|value)"\s*:\s*$/;

const C_QUOTE = 0x22;
const C_BACKSLASH = 0x5c;
const C_LBRACE = 0x7b;
const C_RBRACE = 0x7d;
const C_LBRACKET = 0x5b;
const C_RBRACKET = 0x5d;
const C_COMMA = 0x2c;
const C_COLON = 0x3a;
const C_NL = 0x0a;
const C_CR = 0x0d;
const C_SPACE = 0x20;
const C_TAB = 0x09;
const C_BOM = 0xfeff;

export function snippetOf(text: string): string {
  return text.length <= SNIPPET_CHARS ? text : text.slice(0, SNIPPET_CHARS);
}

export class JsonSplitter {
  private readonly maxDepth: number;
  private readonly maxItemChars: number;
  private buf = '';
  private pos = 0;
  private line: number;
  private depth = 0;
  /** depth at which items start: 0 top-level values, 1 top-level array elements, 2 envelope elements, -1 none */
  private itemDepth = 0;
  private containerIndex = 0;
  private inEnvelope = false;
  private topStart = -1;
  private topLine = 0;
  private linesMode: boolean | undefined;
  // the item being read
  private itemActive = false;
  private itemScalar = false;
  private itemStart = -1; // -1 when its text was dropped (oversized)
  private itemLine = 0;
  private itemIndex: number | undefined;
  private itemTooDeep = false;
  private itemOversized = false;
  // string scanning state
  private inString = false;
  private nextQuote = -1;
  private nextBackslash = -1;
  private nextNewline = -1;
  private out: SplitItem[] = [];

  constructor(options: JsonSplitterOptions = {}) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxItemChars = options.maxItemChars ?? DEFAULT_MAX_ITEM_CHARS;
    this.linesMode = options.linesMode;
    this.line = options.firstLine ?? 1;
  }

  /** Feed the next chunk of text; returns the items completed by it. */
  push(chunk: string): SplitItem[] {
    // append: the text before `pos` may still be needed (the start of the record being read is kept by compact())
    const wasEmpty = this.buf.length === 0;
    this.buf = wasEmpty ? chunk : this.buf + chunk;
    if (wasEmpty) this.resetScanCaches();
    else {
      // caches that said "not found until the end" must be searched again in the new text
      if (this.nextQuote === -1) this.nextQuote = -2;
      if (this.nextBackslash === -1) this.nextBackslash = -2;
      if (this.nextNewline === -1) this.nextNewline = -2;
    }
    this.scan();
    this.checkOversized();
    this.compact();
    const out = this.out;
    this.out = [];
    return out;
  }

  /** The input ended: returns the last items and a failure for anything left unfinished. */
  end(): SplitItem[] {
    this.finishing = true;
    this.scan();
    if (this.itemActive && this.itemScalar && !this.inString) {
      this.emitItem(this.buf.length);
    } else if (this.itemActive) {
      this.endTruncatedItem();
    } else if (this.depth > 0) {
      this.out.push({
        kind: 'error',
        reason: `truncated input: it ended before the enclosing ${this.inEnvelope ? 'envelope' : 'array or object'} was closed (the records before were read)`,
        snippet: '',
        line: this.line,
      });
    }
    this.depth = 0;
    this.itemActive = false;
    this.buf = '';
    this.pos = 0;
    const out = this.out;
    this.out = [];
    return out;
  }

  private endTruncatedItem(): void {
    const text = this.itemStart >= 0 ? this.buf.slice(this.itemStart) : '';
    const nl = text.indexOf('\n');
    if (nl >= 0 && this.linesMode !== true && !this.itemOversized) {
      // Probably NDJSON whose first line is broken: fail that line, re-split the rest line by line.
      this.out.push({
        kind: 'error',
        reason: `line ${this.itemLine}: incomplete JSON value (unbalanced brackets or quotes)`,
        snippet: snippetOf(text.slice(0, nl)),
        line: this.itemLine,
        index: this.itemIndex,
      });
      const rest = new JsonSplitter({
        maxDepth: this.maxDepth,
        maxItemChars: this.maxItemChars,
        linesMode: true,
        firstLine: this.itemLine + 1,
      });
      for (const item of rest.push(text.slice(nl + 1))) this.out.push(item);
      for (const item of rest.end()) this.out.push(item);
      return;
    }
    this.out.push({
      kind: 'error',
      reason: `truncated JSON: the input ended inside this record (line ${this.itemLine})`,
      snippet: snippetOf(text),
      line: this.itemLine,
      index: this.itemIndex,
    });
  }

  private resetScanCaches(): void {
    this.nextQuote = -2;
    this.nextBackslash = -2;
    this.nextNewline = -2;
  }

  private checkOversized(): void {
    if (this.itemActive && this.itemStart >= 0 && this.buf.length - this.itemStart > this.maxItemChars) {
      this.itemOversized = true;
      this.itemStart = -1;
    }
  }

  /** Drop the text nobody needs any more, keep positions consistent. */
  private compact(): void {
    let keep = this.pos;
    if (this.itemActive && this.itemStart >= 0 && this.itemStart < keep) keep = this.itemStart;
    if (this.linesMode && this.topStart >= 0 && this.topStart < keep && this.depth > 0) {
      // keep the start of a top-level value for the snippet of a malformed line, unless it is big
      if (this.pos - this.topStart < 4096) keep = this.topStart;
    }
    if (keep === 0) return;
    this.buf = this.buf.slice(keep);
    this.pos -= keep;
    if (this.itemStart >= 0) this.itemStart -= keep;
    this.topStart = this.topStart >= keep ? this.topStart - keep : -1;
    this.resetScanCaches();
  }

  private scan(): void {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    while (pos < len) {
      if (this.skippingJunk) {
        const nl = buf.indexOf('\n', pos);
        if (nl < 0) {
          pos = len;
          break;
        }
        this.skippingJunk = false;
        pos = nl;
        continue;
      }
      if (this.inString) {
        const after = this.scanString(pos);
        if (after < 0) {
          pos = -after - 1;
          break;
        }
        pos = after;
        this.inString = false;
        if (this.itemActive && this.itemScalar && this.depth === this.itemDepth) this.emitItem(pos);
        continue;
      }
      const c = buf.charCodeAt(pos);
      switch (c) {
        case C_SPACE:
        case C_TAB:
        case C_CR:
        case C_BOM:
          if (this.itemScalar && this.itemActive) this.emitItem(pos);
          pos++;
          break;
        case C_NL:
          if (this.itemScalar && this.itemActive) this.emitItem(pos);
          if (this.linesMode && this.depth > 0) this.failLine(pos);
          this.line++;
          pos++;
          break;
        case C_QUOTE:
          if (this.depth === 0) {
            const next = this.skipJunkLine(pos);
            if (next < 0) {
              this.pos = pos;
              return;
            }
            pos = next;
            break;
          }
          if (this.depth === this.itemDepth && !this.itemActive) this.startItem(pos, true);
          this.inString = true;
          pos++;
          break;
        case C_LBRACE:
        case C_LBRACKET:
          if (this.itemScalar && this.itemActive) this.emitItem(pos);
          if (this.depth === 0) {
            this.topStart = pos;
            this.topLine = this.line;
            this.inEnvelope = false;
            if (c === C_LBRACKET) {
              this.itemDepth = 1;
              this.containerIndex = 0;
            } else {
              this.itemDepth = 0;
              this.startItem(pos, false);
            }
          } else if (this.depth === this.itemDepth && !this.itemActive) {
            this.startItem(pos, false);
          } else if (
            c === C_LBRACKET &&
            this.depth === 1 &&
            this.itemDepth === 0 &&
            this.itemActive &&
            !this.inEnvelope &&
            ENVELOPE_KEY_TAIL.test(buf.slice(Math.max(this.itemStart, pos - 48, 0), pos))
          ) {
            // {"records": [ ... or {"value": [ ...: the elements are the items
            this.itemActive = false;
            this.itemStart = -1;
            this.itemTooDeep = false;
            this.itemOversized = false;
            this.inEnvelope = true;
            this.itemDepth = 2;
            this.containerIndex = 0;
          }
          this.depth++;
          if (this.itemActive && this.depth - this.itemDepth > this.maxDepth) this.itemTooDeep = true;
          pos++;
          break;
        case C_RBRACE:
        case C_RBRACKET:
          if (this.itemScalar && this.itemActive) this.emitItem(pos);
          if (this.depth === 0) {
            const next = this.skipJunkLine(pos);
            if (next < 0) {
              this.pos = pos;
              return;
            }
            pos = next;
            break;
          }
          this.depth--;
          pos++;
          if (this.itemActive && this.depth === this.itemDepth) this.emitItem(pos);
          if (this.inEnvelope && this.depth === 1 && this.itemDepth === 2) this.itemDepth = -1; // rest of envelope
          if (this.depth === 0) this.endTopValue();
          break;
        case C_COMMA:
        case C_COLON:
          if (this.itemScalar && this.itemActive) this.emitItem(pos);
          pos++; // a comma between top-level values is tolerated
          break;
        default:
          if (this.depth === 0) {
            const next = this.skipJunkLine(pos);
            if (next < 0) {
              this.pos = pos;
              return;
            }
            pos = next;
            break;
          }
          if (this.depth === this.itemDepth && !this.itemActive) this.startItem(pos, true);
          pos++;
      }
    }
    this.pos = pos;
  }

  /**
   * Skip a JSON string body starting at `from` (just after the opening quote or inside it).
   * Returns the position after the closing quote, or -(resume position)-1 when more input is needed.
   */
  private scanString(from: number): number {
    const buf = this.buf;
    let p = from;
    for (;;) {
      if (this.nextQuote < p && this.nextQuote !== -1) this.nextQuote = buf.indexOf('"', p);
      if (this.nextBackslash < p && this.nextBackslash !== -1) this.nextBackslash = buf.indexOf('\\', p);
      const q = this.nextQuote;
      const b = this.nextBackslash;
      if (this.linesMode) {
        if (this.nextNewline < p && this.nextNewline !== -1) this.nextNewline = buf.indexOf('\n', p);
        const n = this.nextNewline;
        if (n >= 0 && (q < 0 || n < q) && (b < 0 || n < b)) {
          // a raw newline inside a string: this NDJSON line is malformed
          this.inString = false;
          this.failLine(n);
          return n; // the newline itself is processed by the main loop
        }
      }
      if (b >= 0 && (q < 0 || b < q)) {
        if (b + 1 >= buf.length) return -b - 1; // escape split across chunks: resume at the backslash
        p = b + 2;
        continue;
      }
      if (q < 0) return -buf.length - 1;
      return q + 1;
    }
  }

  private startItem(pos: number, scalar: boolean): void {
    this.itemActive = true;
    this.itemScalar = scalar;
    this.itemStart = pos;
    this.itemLine = this.line;
    this.itemTooDeep = false;
    this.itemOversized = false;
    this.itemIndex = this.itemDepth > 0 ? this.containerIndex++ : undefined;
  }

  private emitItem(endExclusive: number): void {
    this.itemActive = false;
    this.itemScalar = false;
    const { itemLine: line, itemIndex: index } = this;
    if (this.itemOversized || this.itemStart < 0 || endExclusive - this.itemStart > this.maxItemChars) {
      this.out.push({
        kind: 'error',
        reason: `record longer than ${this.maxItemChars} characters: skipped`,
        snippet: '',
        line,
        index,
      });
    } else if (this.itemTooDeep) {
      this.out.push({
        kind: 'error',
        reason: `record nested deeper than ${this.maxDepth} levels: skipped`,
        snippet: snippetOf(this.buf.slice(this.itemStart, this.itemStart + SNIPPET_CHARS)),
        line,
        index,
      });
    } else {
      this.out.push({ kind: 'value', text: this.buf.slice(this.itemStart, endExclusive), line, index });
    }
    this.itemStart = -1;
  }

  private endTopValue(): void {
    if (this.linesMode === undefined) this.linesMode = this.line === this.topLine;
    this.itemDepth = 0;
    this.inEnvelope = false;
    this.topStart = -1;
  }

  /** linesMode: a newline inside an unfinished value. Fail what was read of it and start over on the next line. */
  private failLine(nlPos: number): void {
    const start = this.itemActive && this.itemStart >= 0 ? this.itemStart : this.topStart;
    this.out.push({
      kind: 'error',
      reason: `line ${this.line}: incomplete JSON value (unbalanced brackets or quotes, or a raw newline in a string)`,
      snippet: start >= 0 ? snippetOf(this.buf.slice(start, nlPos)) : '',
      line: this.itemActive ? this.itemLine : this.line,
      index: this.itemActive ? this.itemIndex : undefined,
    });
    this.depth = 0;
    this.itemDepth = 0;
    this.itemActive = false;
    this.itemScalar = false;
    this.itemStart = -1;
    this.inEnvelope = false;
    this.topStart = -1;
  }

  /**
   * Text that cannot start a JSON record at top level: fail it up to the end of its line.
   * Returns the position to continue from, or -1 to wait for more input (the line is not complete yet).
   */
  private skipJunkLine(pos: number): number {
    const nl = this.buf.indexOf('\n', pos);
    if (nl < 0 && !this.finishing && this.buf.length - pos <= SNIPPET_CHARS * 4) return -1;
    const end = nl < 0 ? this.buf.length : nl;
    if (!this.skippingJunk) {
      this.out.push({
        kind: 'error',
        reason: `line ${this.line}: not a JSON object or array`,
        snippet: snippetOf(this.buf.slice(pos, Math.min(end, pos + SNIPPET_CHARS)).replace(/\r$/, '')),
        line: this.line,
      });
    }
    // a long junk line without its end yet: the rest of it is skipped silently when it arrives
    this.skippingJunk = nl < 0 && !this.finishing;
    return end;
  }

  private skippingJunk = false;
  private finishing = false;
}
