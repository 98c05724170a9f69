/**
 * The longest ASCII literal a regular expression requires, for the rule index: `^admin[0-9]+@` requires
 * "admin". Only the top level is read (groups and classes end a run), a character followed by `?` `*` or `{`
 * is optional, and any top-level `|` gives up. ASCII only, so that with or without the `i` flag a match implies
 * the lowercase value contains the lowercase literal.
 */

const META = new Set(['.', '^', '$', '|', '(', ')', '[', ']', '{', '}', '*', '+', '?', '\\']);

export function requiredRegexLiteral(source: string): string | undefined {
  let best = '';
  let run = '';
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inClass) {
      if (c === '\\') i++;
      else if (c === ']') inClass = false;
      continue;
    }
    if (c === '\\') {
      const next = source[i + 1];
      i++;
      if (depth === 0 && next !== undefined && /[^A-Za-z0-9]/.test(next) && next.charCodeAt(0) < 128) {
        if (isOptional(source[i + 1])) end();
        else run += next;
      } else {
        end();
      }
      continue;
    }
    if (c === '[') {
      end();
      inClass = true;
      continue;
    }
    if (c === '(') {
      end();
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      continue;
    }
    if (c === '|') {
      if (depth === 0) return undefined;
      continue;
    }
    if (depth > 0) continue;
    if (META.has(c) || c.charCodeAt(0) >= 128) {
      end();
      continue;
    }
    if (isOptional(source[i + 1])) {
      end();
      continue;
    }
    run += c;
    if (source[i + 1] === '+') end();
  }
  end();
  return best.length >= 2 ? best : undefined;
}

function isOptional(next: string | undefined): boolean {
  return next === '?' || next === '*' || next === '{';
}
