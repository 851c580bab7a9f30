/**
 * Just enough HCL for the sim: top-level blocks with their labels and body text, attributes at
 * the top of a body, and literal values. It is a scanner, not a parser: it only has to know
 * where strings, comments and heredocs start and end so braces inside them are not counted.
 */

export class HclError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface HclBlock {
  kind: string;
  labels: string[];
  /** The text between the braces, comments included (they carry sim directives). */
  body: string;
  /** The same text with comments blanked out. */
  code: string;
  file: string;
  line: number;
}

/** Replaces comments with spaces, keeping every offset and newline, so positions still line up. */
export function blankComments(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
    } else if (c === '<' && text.startsWith('<<', i)) {
      i = skipHeredoc(text, i);
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const end = lineEnd(text, i);
      blank(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      blank(i, end);
      i = end;
    } else {
      i++;
    }
  }
  return out.join('');
}

export function topLevelBlocks(text: string, file: string): HclBlock[] {
  const code = blankComments(text);
  const blocks: HclBlock[] = [];
  const header = /([A-Za-z_][\w-]*)((?:\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*)\s*\{/y;
  let i = 0;
  while (i < code.length) {
    const c = code[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    header.lastIndex = i;
    const match = header.exec(code);
    if (match) {
      const open = header.lastIndex - 1;
      const close = matchingBrace(code, open, file);
      const labels = [...(match[2] ?? '').matchAll(/"([^"\n]*)"|([A-Za-z_][\w-]*)/g)].map((m) => m[1] ?? m[2] ?? '');
      blocks.push({ kind: match[1] ?? '', labels, body: text.slice(open + 1, close), code: code.slice(open + 1, close), file, line: lineOf(text, i) });
      i = close + 1;
      continue;
    }
    // A top-level attribute (rare outside .tfvars) or something the sim does not model: skip the line.
    if (c === '}') throw new HclError(file, lineOf(text, i), 'Unexpected "}": this closing brace has no opening brace.');
    // max(): a stray closer would otherwise leave the scan where it was.
    i = Math.max(statementEnd(code, i, file), i + 1);
  }
  return blocks;
}

/** Attribute expressions at the top level of a body (`key = expr`); nested blocks are skipped. */
export function attributes(code: string): Map<string, string> {
  const result = new Map<string, string>();
  const start = /\s*([A-Za-z_][\w-]*)\s*(=(?!=)|\{)/y;
  let i = 0;
  while (i < code.length) {
    start.lastIndex = i;
    const match = start.exec(code);
    if (!match) {
      i = lineEnd(code, i) + 1;
      continue;
    }
    if (match[2] === '{') {
      i = matchingBrace(code, start.lastIndex - 1, '') + 1;
      continue;
    }
    const end = statementEnd(code, start.lastIndex, '');
    result.set(match[1] ?? '', code.slice(start.lastIndex, end).trim());
    i = end;
  }
  return result;
}

/** The value of a literal expression; undefined when it is not one. */
export function literal(expr: string): { value: unknown } | undefined {
  const text = expr.trim();
  if (/^"(?:[^"\\$]|\\.|\$(?!\{))*"$/.test(text)) return { value: JSON.parse(text.replace(/\\\$/g, '$')) as unknown };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { value: Number(text) };
  if (text === 'true' || text === 'false') return { value: text === 'true' };
  if (text === 'null') return { value: null };
  if (text.startsWith('[') || text.startsWith('{')) {
    // Lists and objects of literals read as JSON once `key = v` becomes `"key": v`.
    try {
      const json = text.replace(/([{,]\s*)([A-Za-z_][\w-]*)\s*=/g, '$1"$2":').replace(/,(\s*[}\]])/g, '$1');
      return { value: JSON.parse(json) as unknown };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function matchingBrace(code: string, open: number, file: string): number {
  let depth = 0;
  let i = open;
  while (i < code.length) {
    const c = code[i];
    if (c === '"') {
      i = skipString(code, i);
      continue;
    }
    if (c === '<' && code.startsWith('<<', i)) {
      i = skipHeredoc(code, i);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  throw new HclError(file, lineOf(code, open), 'Unclosed configuration block: there is no closing brace for this block.');
}

/** End of an expression statement: the first newline outside brackets, strings and heredocs. */
function statementEnd(code: string, from: number, file: string): number {
  let depth = 0;
  let i = from;
  while (i < code.length) {
    const c = code[i] ?? '';
    if (c === '"') {
      i = skipString(code, i);
      continue;
    }
    if (c === '<' && code.startsWith('<<', i)) {
      i = skipHeredoc(code, i);
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return i;
      depth--;
    } else if (c === '\n' && depth === 0) return i;
    i++;
  }
  if (depth > 0) throw new HclError(file, lineOf(code, from), 'Unclosed bracket in expression.');
  return i;
}

function skipString(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '\n')
      return i; // unterminated: let the line end it rather than swallow the file
    else i++;
  }
  return i;
}

function skipHeredoc(text: string, open: number): number {
  const match = /<<-?([A-Za-z_]\w*)[ \t]*\n/y;
  match.lastIndex = open;
  const m = match.exec(text);
  if (!m) return open + 2;
  const marker = m[1] ?? '';
  let i = match.lastIndex;
  while (i < text.length) {
    const end = lineEnd(text, i);
    if (text.slice(i, end).trim() === marker) return end;
    i = end + 1;
  }
  return text.length;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
