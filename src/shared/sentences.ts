/**
 * Joins the pieces of a user-facing message so that it reads as plain sentences whatever each
 * piece ends with: messages come from many places (the provider, the input checks, a setting's
 * hint), some end with a full stop and some do not. Pure.
 */

/** A sentence's last mark, in the languages a translation may bring (Chinese and Japanese end with 。！？). */
const ENDS_SENTENCE = /[.!?…。！？]$/;

/** The text as one sentence: trimmed, with a full stop unless it already ends one. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return trimmed === '' || ENDS_SENTENCE.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The text without the full stop that ends it, so a clause (a colon, a place in parentheses) can follow. */
export function clause(text: string): string {
  return text.trim().replace(/(?<!\.)\.$/, '');
}

/** Each present piece as a sentence, joined by spaces. */
export function sentences(...pieces: (string | undefined)[]): string {
  return pieces
    .filter((piece): piece is string => piece !== undefined && piece.trim() !== '')
    .map(sentence)
    .join(' ');
}

/** A message with where it happened in parentheses, inside its sentence: "Bad YAML (template.yaml:3)." */
export function withPlace(message: string, place: string | undefined): string {
  return place ? `${clause(message)} (${place}).` : sentence(message);
}

/**
 * A progress notification as VS Code shows it: the title, a colon, the message. The title must
 * therefore be a clause, not a sentence, or it reads ".:".
 */
export function progressNotice(title: string, message: string): { title: string; message: string } {
  // The message is written to follow the colon (lower-case in English): a translation's own case is kept.
  return { title: clause(title), message: sentence(message) };
}
