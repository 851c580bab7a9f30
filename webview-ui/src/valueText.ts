/**
 * How a property value reads in the review: secret values as "hidden (secret)" and nothing else,
 * JSON pretty-printed so a line diff of it is readable, and which values are too long to show inline.
 */
import * as l10n from '@vscode/l10n';

/** What the provider puts where a secret value was (the port's SECRET_MASK). */
export const SECRET_MASK = '****';
export function secretText(): string {
  return l10n.t('hidden (secret)');
}
/** Longer than this (or on several lines), a value is shown as a line diff rather than inline. */
const INLINE_MAX_CHARS = 80;

/** True when the value must not be shown: the property is marked masked, or the value is the mask. */
export function isSecret(value: string | undefined, masked: boolean | undefined): boolean {
  return value !== undefined && (masked === true || value === SECRET_MASK);
}

export function isLong(value: string | undefined): boolean {
  return value !== undefined && (value.length > INLINE_MAX_CHARS || value.includes('\n'));
}

/** JSON objects and arrays, two-space indented; anything else as it came. */
export function prettyJson(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    // Cut at MAX_PROPERTY_VALUE_CHARS, or not JSON after all: shown as it came.
    return text;
  }
}

/**
 * A whole-resource context as lines to diff: pretty-printed, with each masked value spelled as
 * the secret text, so the mask itself never reads as the value.
 */
export function contextLines(text: string | undefined): string[] {
  if (text === undefined || text === '') return [];
  return prettyJson(text)
    .split('\n')
    .map((line) => line.split(JSON.stringify(SECRET_MASK)).join(JSON.stringify(secretText())));
}
