/**
 * A wrong setting value, described for a message: what kind of value it is and, for values that
 * cannot hold secrets, a bounded quote. A 1 MB string pasted into a setting must not come back
 * whole in a notification.
 */
import * as l10n from '@vscode/l10n';

/** Quotes are cut to this many characters (plus an ellipsis and the full length). */
export const MAX_QUOTE = 80;

/** `"abc"`, or the first MAX_QUOTE characters, an ellipsis and the length. */
export function quote(text: string): string {
  if (text.length <= MAX_QUOTE) return JSON.stringify(text);
  return l10n.t({
    message: '{0}… ({1} characters)',
    args: [JSON.stringify(text.slice(0, MAX_QUOTE)), text.length.toLocaleString('en-US')],
    comment: ['{0} is the start of a long setting value, in quotes; {1} its full length'],
  });
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
  if (typeof value === 'string')
    return l10n.t({ message: 'the string {0}', args: [quote(value)], comment: ['A setting value, as in "… must be true or false, not the string "yes"."'] });
  if (typeof value === 'number')
    return l10n.t({ message: 'the number {0}', args: [String(value)], comment: ['A setting value, as in "… must be a string, not the number 3."'] });
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return l10n.t({ message: 'a list{0}', args: [preview(value)], comment: ['{0} is empty or a space and the list in JSON'] });
  if (typeof value === 'object')
    return l10n.t({ message: 'an object{0}', args: [preview(value)], comment: ['{0} is empty or a space and the object in JSON'] });
  return typeOfValue(value);
}

/** "a bigint", "a function", …: JavaScript's name for a kind of value no setting should hold. */
function typeOfValue(value: unknown): string {
  return l10n.t({ message: 'a {0}', args: [typeof value], comment: ["{0} is JavaScript's typeof name of a value: bigint, function, symbol or undefined"] });
}

/**
 * The kind of value only, never its content: for settings that hold parameter or input values,
 * which may be secrets (a password) whatever shape they were given in.
 */
export function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value.length === 1 ? l10n.t('a string (1 character)') : l10n.t('a string ({0} characters)', value.length.toLocaleString('en-US'));
  }
  if (typeof value === 'number') return l10n.t('a number');
  if (typeof value === 'boolean') return l10n.t('true/false');
  if (Array.isArray(value))
    return value.some((item) => typeof item === 'object' && item !== null) ? l10n.t('a list holding objects or lists') : l10n.t('a list');
  if (typeof value === 'object') return l10n.t('an object');
  return typeOfValue(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
