/**
 * What an input error's message says of the problems after the first: how many, and on which
 * lines. Each one also goes to the Problems panel at its own place (InputError.moreProblems), so
 * the message need not name them. Pure.
 */
import type { InputProblem } from '../../../input/inputError';

/**
 * " There are 2 more YAML problems, on lines 9 and 12; the Problems panel lists each." ('' for
 * none). Lines are named only when the others are all in the first one's file; the Problems
 * panel is named only when every other one has a place there (`unplaced`: how many have none).
 */
export function moreProblemsSentence(kind: { one: string; many: string }, others: readonly Pick<InputProblem, 'line' | 'file'>[], unplaced = 0): string {
  const count = others.length + unplaced;
  if (count === 0) return '';
  const sameFile = unplaced === 0 && others.every((p) => p.file === undefined);
  const lines = sameFile ? [...new Set(others.map((p) => p.line).filter((line): line is number => line !== undefined))] : [];
  const last = lines[lines.length - 1];
  const named =
    lines.length === 0
      ? ''
      : lines.length === 1
        ? `, on line ${last}`
        : lines.length <= 5
          ? `, on lines ${lines.slice(0, -1).join(', ')} and ${last}`
          : `, on lines ${lines[0]} to ${last}`;
  const counted = count === 1 ? `is 1 more ${kind.one}` : `are ${count} more ${kind.many}`;
  return ` There ${counted}${named}${unplaced === 0 ? '; the Problems panel lists each' : ''}.`;
}

/** The first problem's text as a sentence, so the count can follow it. */
export function asSentence(text: string): string {
  return /[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
