/**
 * Every provider call the machine makes has a deadline. A call that outlives it is abandoned
 * (its AbortSignal fires as the machine leaves the state) and counts as a transient failure:
 * the person sees *retrying* at once, never a silent spinner.
 */
import * as l10n from '@vscode/l10n';

export interface Deadlines {
  /** Describes and polls: a healthy endpoint answers in well under a second. */
  read: number;
  /** Writes: staging uploads the template and asks the provider to stage the changes. */
  write: number;
  /** The workspace step: reading files, the provider's linter (up to ~12 s on large templates) and validation. */
  initialize: number;
  /** Removing what a deployment staged; waits for staged changes still being made. */
  cleanup: number;
}

export const DEFAULT_DEADLINES: Deadlines = {
  read: 25_000,
  write: 45_000,
  initialize: 120_000,
  cleanup: 90_000,
};

export type DeadlineKind = keyof Deadlines;

export function resolveDeadlines(overrides: Partial<Deadlines> | undefined): Deadlines {
  return { ...DEFAULT_DEADLINES, ...overrides };
}

export function describeDeadline(ms: number): string {
  const seconds = ms % 1000 === 0 ? `${ms / 1000}` : (ms / 1000).toFixed(1);
  return l10n.t({ message: '{0} s', args: [seconds], comment: ['A time in seconds.'] });
}
