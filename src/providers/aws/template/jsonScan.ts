/**
 * A JSON scanner that knows where things are. JSON.parse gives the values but no positions,
 * and V8 omits the position from some of its messages ("Unexpected token '}', … is not
 * valid JSON"), so this walks the text itself: it records the offset of every key and list
 * item, or finds the offset and cause of the first syntax error.
 */
import * as l10n from '@vscode/l10n';
import { excerpt } from './excerpt';
import { pathKey, type ValuePath } from './locator';
import { MAX_NESTING_LEVELS, nestingMessage } from './nesting';

/** A key written twice in one object: JSON.parse silently keeps the last, CloudFormation refuses it. */
export interface DuplicateKey {
  key: string;
  offset: number;
  firstOffset: number;
}

export type JsonScan = { ok: true; offsets: Map<string, number>; duplicate?: DuplicateKey } | { ok: false; offset: number; message: string; tooDeep?: boolean };

/** Thrown from deep in the scan and caught by scanJson, which turns it into `{ ok: false }`. */
class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly tooDeep = false,
  ) {
    super(message);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX_DIGIT = /^[0-9a-fA-F]$/;

export function scanJson(text: string): JsonScan {
  const offsets = new Map<string, number>();
  let duplicate: DuplicateKey | undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  /** The sentence for what was found at `at`: the end of the file, or a character (quoted as 'x'). */
  const found = (at: number, atEnd: () => string, atCharacter: (character: string) => string): string =>
    at >= text.length ? atEnd() : atCharacter(`'${text[at]}'`);
  const fail = (message: string, at = i): never => {
    throw new SyntaxProblem(at, message);
  };
  const skipWhitespace = (): void => {
    while (i < text.length && WHITESPACE.has(text[i])) i++;
  };

  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return JSON.parse(text.slice(start, i)) as string;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          let digit = i + 2;
          while (digit < i + 6 && HEX_DIGIT.test(text[digit] ?? '')) digit++;
          if (digit < i + 6) fail(l10n.t('Bad Unicode escape in string (\\u needs four hex digits)'), digit);
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) {
          i += 2;
        } else {
          fail(l10n.t('Bad escape sequence \\{0} in string', e ?? ''), i + 1);
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail(l10n.t('Bad control character in string (use \\n, \\t, …)'));
      i++;
    }
    return fail(l10n.t('Unterminated string: the quote here is never closed'), start);
  };

  const readValue = (path: ValuePath, depth: number): void => {
    skipWhitespace();
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= MAX_NESTING_LEVELS) {
      throw new SyntaxProblem(i, nestingMessage(undefined), true);
    }
    if (c === '{') return readObject(path, depth);
    if (c === '[') return readArray(path, depth);
    if (c === '"') {
      readString();
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && /[-0-9]/.test(c) && NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    fail(c === undefined ? l10n.t('Unexpected end of the file: a value is missing') : l10n.t('Unexpected {0}: expected a value', `'${c}'`));
  };

  const readObject = (path: ValuePath, depth: number): void => {
    i++;
    skipWhitespace();
    if (text[i] === '}') {
      i++;
      return;
    }
    const seen = new Map<string, number>();
    for (;;) {
      skipWhitespace();
      if (text[i] !== '"') {
        fail(
          found(
            i,
            () => l10n.t('Expected a property name in double quotes, found the end of the file'),
            (character) => l10n.t('Expected a property name in double quotes, found {0}', character),
          ),
        );
      }
      const keyOffset = i;
      const key = readString();
      const childPath = [...path, key];
      const firstOffset = seen.get(key);
      if (firstOffset === undefined) seen.set(key, keyOffset);
      else duplicate ??= { key, offset: keyOffset, firstOffset };
      if (!offsets.has(pathKey(childPath))) offsets.set(pathKey(childPath), keyOffset);
      skipWhitespace();
      if (text[i] !== ':') {
        fail(
          found(
            i,
            () => l10n.t('Expected \':\' after property name "{0}", found the end of the file', excerpt(key)),
            (character) => l10n.t('Expected \':\' after property name "{0}", found {1}', excerpt(key), character),
          ),
        );
      }
      i++;
      readValue(childPath, depth + 1);
      skipWhitespace();
      if (text[i] === ',') {
        const comma = i;
        i++;
        skipWhitespace();
        // Point at the comma to delete, which may be lines above the bracket.
        if (text[i] === '}') fail(l10n.t("Trailing comma before '}' is not allowed in JSON"), comma);
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail(
        found(
          i,
          () => l10n.t("Expected ',' or '}' after the value of \"{0}\", found the end of the file", excerpt(key)),
          (character) => l10n.t("Expected ',' or '}' after the value of \"{0}\", found {1}", excerpt(key), character),
        ),
      );
    }
  };

  const readArray = (path: ValuePath, depth: number): void => {
    i++;
    skipWhitespace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      skipWhitespace();
      offsets.set(pathKey([...path, index]), i);
      readValue([...path, index], depth + 1);
      skipWhitespace();
      if (text[i] === ',') {
        const comma = i;
        i++;
        skipWhitespace();
        // Point at the comma to delete, which may be lines above the bracket.
        if (text[i] === ']') fail(l10n.t("Trailing comma before ']' is not allowed in JSON"), comma);
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail(
        found(
          i,
          () => l10n.t("Expected ',' or ']' after a list item, found the end of the file"),
          (character) => l10n.t("Expected ',' or ']' after a list item, found {0}", character),
        ),
      );
    }
  };

  try {
    skipWhitespace();
    offsets.set(pathKey([]), i);
    readValue([], 0);
    skipWhitespace();
    if (i < text.length) fail(l10n.t('Unexpected {0} after the end of the JSON value', `'${text[i]}'`));
    return duplicate ? { ok: true, offsets, duplicate } : { ok: true, offsets };
  } catch (error) {
    if (error instanceof SyntaxProblem)
      return error.tooDeep
        ? { ok: false, offset: error.offset, message: error.message, tooDeep: true }
        : { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}
