/**
 * The Problems panel entries of a bad input error: the problem its message names, at its place,
 * and each further problem found in the same pass, at its own (which may be in another file). Pure, so the placing is tested
 * with the real parser and without an editor.
 */
import type { ErrorInfo } from '../deployment/errorInfo';

export interface InputProblemEntry {
  /** The error's own file when undefined. */
  file?: string;
  /** 1-based; none: the top of the file. */
  line?: number;
  column?: number;
  message: string;
}

export function inputProblemEntries(error: ErrorInfo): InputProblemEntry[] {
  const first: InputProblemEntry = { message: error.hint ? `${error.message}\n${error.hint}` : error.message };
  if (error.line !== undefined) first.line = error.line;
  if (error.column !== undefined) first.column = error.column;
  return [first, ...(error.moreProblems ?? []).map((problem) => ({ ...problem }))];
}
