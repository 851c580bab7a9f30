/**
 * A poll cursor is what one poll carries to the next: opaque to the machine, persisted with the
 * deployment, so it may come back from an older version or a damaged store. Every provider
 * encodes its cursor the same way: JSON out; in, each field kept only when it has the type the
 * provider reads (a field reader decides), and nothing at all from text that is not an object.
 */

/** Reads one field of a decoded cursor: the value when it has the expected type, else the default. */
export type CursorField<T> = (value: unknown) => T;

export type CursorFields<C> = { [K in keyof C]-?: CursorField<C[K]> };

export function encodeCursor(cursor: object): string {
  return JSON.stringify(cursor);
}

/** Every field of `fields` read from the encoded cursor; `{}` for none, or for text that is not a JSON object. */
export function decodeCursorWith<C extends object>(encoded: string | undefined, fields: CursorFields<C>): Partial<C> {
  if (!encoded) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(encoded);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const values = parsed as Record<string, unknown>;
  const decoded: Partial<C> = {};
  for (const key of Object.keys(fields) as (keyof C & string)[]) decoded[key] = fields[key](values[key]);
  return decoded;
}

/** The field readers the providers' cursors are made of. */
export const cursorField = {
  text: (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined),
  count: (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined),
  texts: (value: unknown): string[] | undefined => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined),
  /** True, or absent. */
  flag: (value: unknown): true | undefined => (value === true ? true : undefined),
  /** True or false, never absent. */
  boolean: (value: unknown): boolean => value === true,
  /** The string-valued entries of an object; empty for anything else. */
  textRecord: (value: unknown): Record<string, string> => {
    const record: Record<string, string> = {};
    if (typeof value === 'object' && value !== null) for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') record[key] = entry;
    return record;
  },
};
