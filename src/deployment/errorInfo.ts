/**
 * What a deployment's error becomes in its context: plain data that survives a persisted snapshot.
 * Errors are classified by their brands (isProviderError, isInputError, isPreflightError), which
 * hold for errors thrown by separately bundled code, where `instanceof` would not.
 */
import { isInputError, type InputProblem } from '../input/inputError';
import { isPreflightError } from '../preflight/preflightError';
import { isProviderError, type ProviderErrorCode } from '../providers/provider';

/** A serialisable error, safe to keep in a persisted snapshot and to show to people. */
export interface ErrorInfo {
  /** Persisted in snapshots: 'Template' stands for any bad input (an InputError), whatever the file. */
  code: ProviderErrorCode | 'Preflight' | 'Template' | 'Internal';
  message: string;
  hint?: string;
  retryable: boolean;
  /** Where the problem is, when a file or setting is to blame. */
  file?: string;
  line?: number;
  column?: number;
  setting?: string;
  /** The problems after the one `message` names, each at its own place (in `file` unless they name another). */
  moreProblems?: InputProblem[];
  /** The machine made this message from the failure list's root cause: it says nothing the root cause does not. */
  fromRootCause?: boolean;
  /** When the error is one call's: the call ("DescribeStacks", "Reading the target"), as the message names it. */
  operation?: string;
  /** …and what happened to it, the message without the call. */
  reason?: string;
}

interface LocatedError {
  code?: unknown;
  file?: unknown;
  line?: unknown;
  column?: unknown;
  setting?: unknown;
  hint?: unknown;
  moreProblems?: unknown;
}

/** Read structurally: the error may come from another bundle's copy of InputError. */
function problemsOf(value: unknown): InputProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): InputProblem[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { message, file, line, column } = item as Record<string, unknown>;
    if (typeof message !== 'string') return [];
    const problem: InputProblem = { message };
    if (typeof file === 'string' && file.length > 0) problem.file = file;
    if (typeof line === 'number') problem.line = line;
    if (typeof column === 'number') problem.column = column;
    return [problem];
  });
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Normalises anything an actor rejects with. Unknown errors are not retried: better a clear stop than a loop. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isProviderError(error)) {
    const { hint, operation, reason } = error.details;
    return { code: error.code, message: error.message, hint, retryable: error.retryable, ...(operation && reason ? { operation, reason } : {}) };
  }
  if (error instanceof Error) {
    const located = error as Error & LocatedError;
    const info: ErrorInfo = {
      code: isInputError(error) ? 'Template' : isPreflightError(error) ? 'Preflight' : 'Internal',
      message: error.message,
      retryable: false,
    };
    const hint = optionalString(located.hint);
    const file = optionalString(located.file);
    const setting = optionalString(located.setting);
    if (hint) info.hint = hint;
    if (file) info.file = file;
    if (setting) info.setting = setting;
    if (typeof located.line === 'number') info.line = located.line;
    if (typeof located.column === 'number') info.column = located.column;
    const more = problemsOf(located.moreProblems);
    if (more.length > 0) info.moreProblems = more;
    return info;
  }
  return { code: 'Internal', message: String(error), retryable: false };
}
