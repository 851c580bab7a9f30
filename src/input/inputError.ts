/**
 * The one error type for bad input in the workspace: the provider's input files, a parameters file or
 * a setting. `toErrorInfo` (src/deployment/errorInfo.ts) reads `file`, `line`, `setting` and
 * `hint` by name, so the UI can link to the place to fix without parsing the message.
 *
 * It is recognised by a brand, not by `instanceof` or its `name`: each provider's code is bundled
 * on its own, with its own copy of this class, and a subclass may carry a name of its own.
 */

const INPUT_ERROR = Symbol.for('stackwatch.inputError');

/** Another problem found in the same pass: each gets its own place in Problems. */
export interface InputProblem {
  message: string;
  /** Absolute path, when it is in another file than the error's own. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export interface InputErrorLocation {
  /** Absolute path of the file to blame, so the UI can open it and place a diagnostic. */
  file?: string;
  /** How the file is named in the message (a workspace-relative path); defaults to `file`. */
  displayFile?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** The setting to change, e.g. 'stackwatch.parameters'. */
  setting?: string;
  hint?: string;
  /** The problems after the one the message names (in the same file unless they name another). */
  moreProblems?: readonly InputProblem[];
  cause?: unknown;
}

/**
 * A backstop: every message quotes user input through excerpt(), but a message must never grow
 * with the input, whatever a future check forgets.
 */
const MAX_REASON_CHARS = 1_000;
const MAX_HINT_CHARS = 500;
/** Enough for any file a person fixes by hand; the Problems panel stays usable. */
const MAX_MORE_PROBLEMS = 100;

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export class InputError extends Error {
  override readonly name: string = 'InputError';
  readonly [INPUT_ERROR] = true;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly setting?: string;
  readonly hint?: string;
  readonly moreProblems?: readonly InputProblem[];
  /** The message without the `file:line:column: ` prefix. */
  readonly reason: string;

  constructor(fullReason: string, location: InputErrorLocation = {}) {
    const reason = bounded(fullReason, MAX_REASON_CHARS);
    super(
      withLocation(reason, { ...location, displayFile: location.displayFile === undefined ? undefined : bounded(location.displayFile, 200) }),
      location.cause === undefined ? undefined : { cause: location.cause },
    );
    this.reason = reason;
    if (location.file !== undefined) this.file = location.file;
    if (location.line !== undefined) this.line = location.line;
    if (location.column !== undefined) this.column = location.column;
    if (location.setting !== undefined) this.setting = location.setting;
    if (location.hint !== undefined) this.hint = bounded(location.hint, MAX_HINT_CHARS);
    if (location.moreProblems && location.moreProblems.length > 0)
      this.moreProblems = location.moreProblems.slice(0, MAX_MORE_PROBLEMS).map((p) => ({ ...p, message: bounded(p.message, MAX_REASON_CHARS) }));
  }
}

/** Bad input, from whichever bundle threw it. */
export function isInputError(value: unknown): value is InputError {
  return typeof value === 'object' && value !== null && (value as { [INPUT_ERROR]?: unknown })[INPUT_ERROR] === true;
}

/** `file:line:column: reason`, the shape editors and terminals turn into links. */
function withLocation(reason: string, location: InputErrorLocation): string {
  const name = location.displayFile ?? location.file;
  if (!name) return reason;
  let prefix = name;
  if (location.line !== undefined) {
    prefix += `:${location.line}`;
    if (location.column !== undefined) prefix += `:${location.column}`;
  }
  return `${prefix}: ${reason}`;
}
