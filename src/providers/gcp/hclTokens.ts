/**
 * Just enough of an HCL tokenizer to find `variable` blocks: comments, strings (with
 * interpolations), heredocs, identifiers and punctuation, each with its line. A real HCL parser
 * for Node is a multi-megabyte wasm build of the Go one; we only read declarations, and
 * Infrastructure Manager's own Terraform still has the final word on the blueprint.
 */

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'newline';

export interface Token {
  kind: TokenKind;
  /** Identifier text, punctuation character, or a string's unescaped contents. */
  value: string;
  /** 1-based. */
  line: number;
  start: number;
  end: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const push = (kind: TokenKind, value: string, start: number, startLine: number): void => {
    tokens.push({ kind, value, line: startLine, start, end: i });
  };

  /** Reads a quoted string starting after its opening quote; interpolations may nest quotes. */
  const readString = (): string => {
    let out = '';
    while (i < source.length) {
      const ch = source[i];
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\n') return out; // unterminated: HCL strings are single-line
      if (ch === '\\' && i + 1 < source.length) {
        out += ESCAPES[source[i + 1]] ?? source[i + 1];
        i += 2;
        continue;
      }
      if ((ch === '$' || ch === '%') && source[i + 1] === '{') {
        const begin = i;
        i += 2;
        let depth = 1;
        while (i < source.length && depth > 0) {
          const c = source[i];
          if (c === '"') {
            i++;
            readString();
            continue;
          }
          if (c === '{') depth++;
          else if (c === '}') depth--;
          else if (c === '\n') line++;
          i++;
        }
        out += source.slice(begin, i);
        continue;
      }
      out += ch;
      i++;
    }
    return out;
  };

  while (i < source.length) {
    const ch = source[i];
    const start = i;
    const startLine = line;
    if (ch === '\n') {
      i++;
      push('newline', '\n', start, startLine);
      line++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#' || (ch === '/' && source[i + 1] === '/')) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      const stop = close === -1 ? source.length : close + 2;
      for (let j = i; j < stop; j++) if (source[j] === '\n') line++;
      i = stop;
    } else if (ch === '"') {
      i++;
      const value = readString();
      push('string', value, start, startLine);
    } else if (ch === '<' && source[i + 1] === '<' && /^<<-?[A-Za-z_]/.test(source.slice(i, i + 4))) {
      const header = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[^\n]*\n?/.exec(source.slice(i));
      const marker = header?.[1] ?? '';
      i += header?.[0].length ?? 2;
      line++;
      const lines: string[] = [];
      while (i < source.length) {
        const eol = source.indexOf('\n', i);
        const text = source.slice(i, eol === -1 ? source.length : eol);
        i = eol === -1 ? source.length : eol + 1;
        if (text.trim() === marker) break;
        lines.push(text);
        line++;
      }
      tokens.push({ kind: 'string', value: lines.join('\n'), line: startLine, start, end: i });
      // The closing marker's newline ends the expression, as the parser expects.
      tokens.push({ kind: 'newline', value: '\n', line, start: i - 1, end: i });
      line++;
    } else if (IDENT_START.test(ch)) {
      while (i < source.length && IDENT_PART.test(source[i])) i++;
      push('ident', source.slice(start, i), start, startLine);
    } else if (/[0-9]/.test(ch)) {
      while (i < source.length && /[0-9.eE+-]/.test(source[i])) i++;
      push('number', source.slice(start, i), start, startLine);
    } else {
      i++;
      push('punct', ch, start, startLine);
    }
  }
  return tokens;
}
