/**
 * Bounded quoting for messages. Whatever the user wrote (a 1 MB scalar, a resource name of
 * 50,000 characters) is echoed at most this long, so a message stays readable in a
 * notification and cheap to log.
 */

export const MAX_QUOTED_CHARS = 80;

/** `text` cut to `max` characters with an ellipsis; line breaks shown as ⏎ so it stays one line. */
export function excerpt(text: string, max: number = MAX_QUOTED_CHARS): string {
  const oneLine = text.replace(/\r?\n/g, '⏎');
  const chars = [...oneLine];
  return chars.length <= max ? oneLine : `${chars.slice(0, max - 1).join('')}…`;
}

/** A JSON-quoted, bounded rendering of any value. */
export function quoted(value: unknown, max: number = MAX_QUOTED_CHARS): string {
  let json: string | undefined;
  try {
    json = typeof value === 'string' ? JSON.stringify(excerpt(value, max)) : JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return excerpt(json ?? String(value), max + 2);
}
