/**
 * package.json as the tests read it. Its user-facing texts are `%key%` references into
 * package.nls.json (VS Code and vsce put the text of the display language in their place);
 * `resolvedManifest` does the same with the English texts, so a test reads what a person sees.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');

/** `%key%`: a whole manifest string that VS Code replaces by package.nls.json's `key`. */
export const NLS_REFERENCE = /^%([^%\s]+)%$/;

/** package.json as written, with its `%key%` references. */
export function rawManifest(): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as unknown;
}

/** package.nls.json: key → English text. */
export function englishManifestTexts(): Record<string, string> {
  return JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
}

function resolve(value: unknown, texts: Readonly<Record<string, string>>, path: string): unknown {
  if (typeof value === 'string') {
    const key = NLS_REFERENCE.exec(value)?.[1];
    if (key === undefined) return value;
    const text = texts[key];
    if (text === undefined) throw new Error(`package.json ${path}: "${value}" is not in package.nls.json`);
    return text;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolve(item, texts, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, texts, `${path}.${key}`)]));
  }
  return value;
}

/** package.json with every `%key%` replaced by its English text from package.nls.json. */
export function resolvedManifest<T>(): T {
  return resolve(rawManifest(), englishManifestTexts(), '') as T;
}
