/**
 * A wrong setting value, described for a message: what kind of value it is and, for values that
 * cannot hold secrets, a bounded quote. A 1 MB string pasted into a setting must not come back
 * whole in a notification.
 */

/** Quotes are cut to this many characters (plus an ellipsis and the full length). */
export const MAX_QUOTE = 80;

/** `"abc"`, or the first MAX_QUOTE characters, an ellipsis and the length. */
export function quote(text: string): string {
  if (text.length <= MAX_QUOTE) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTE))}… (${text.length.toLocaleString('en-US')} characters)`;
}

function preview(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return '';
  return json.length <= MAX_QUOTE ? ` ${json}` : ` ${json.slice(0, MAX_QUOTE)}…`;
}

/** "the string \"false\"", "the number 3", "a list [1,2]", "an object {…}", "null". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list${preview(value)}`;
  if (typeof value === 'object') return `an object${preview(value)}`;
  return `a ${typeof value}`;
}

/**
 * The kind of value only, never its content: for settings that hold parameter or input values,
 * which may be secrets (a password) whatever shape they were given in.
 */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${value.length.toLocaleString('en-US')} characters)`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true/false';
  if (Array.isArray(value)) return value.some((item) => typeof item === 'object' && item !== null) ? 'a list holding objects or lists' : 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
