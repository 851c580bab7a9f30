/**
 * The machine's tags: the one place that says what a state means to the people watching it.
 * Views ask `snapshot.hasTag(...)` instead of listing state names, so a new state is placed by
 * the tags it is given (a unit test checks every top-level state has exactly one phase tag).
 */

/** How a deployment can end; the machine's final states carry these names. */
export const FINAL_STATES = ['succeeded', 'failed', 'rolledBack', 'aborted', 'noChanges', 'unknown'] as const;

/** `unknown`: contact was lost after the execute and the person stopped asking; the outcome is not known. */
export type FinalState = (typeof FINAL_STATES)[number];

const FINAL_STATE_NAMES: ReadonlySet<string> = new Set(FINAL_STATES);

export function isFinalState(name: string): name is FinalState {
  return FINAL_STATE_NAMES.has(name);
}

/**
 * Where the monitor shows the deployment: each top-level state carries exactly one. The names
 * are the monitor's phases, so the view model reads the phase straight from the tag.
 */
export const PHASE_TAGS = ['starting', 'consent', 'otherOperation', 'staging', 'review', 'monitoring', 'lostContact', 'final'] as const;

export type PhaseTag = (typeof PHASE_TAGS)[number];

/**
 * - needsPerson: the deployment waits for an answer from the person (review, consent, a lost
 *   contact, someone else's operation); closing the monitor there asks them to come back.
 * - cleaningUp: the outcome is decided and what was staged is being removed; the view stays where
 *   the deployment was (its phase tag says staging, and monitoring once the changes were executed).
 */
export type DeploymentTag = PhaseTag | 'needsPerson' | 'cleaningUp';

/** Anything that can answer `hasTag`: a live snapshot, or one resolved from persisted state. */
export interface Tagged {
  hasTag(tag: DeploymentTag): boolean;
}

/** The phase a snapshot shows; `executed` decides it only while cleaning up. */
export function phaseOf(snapshot: Tagged, executed: boolean): PhaseTag {
  if (snapshot.hasTag('cleaningUp') && executed) return 'monitoring';
  const phase = PHASE_TAGS.find((tag) => snapshot.hasTag(tag));
  // Unreachable while every state is tagged (machine-tags.test.ts); a state without one is a bug.
  // l10n-exempt: unreachable while every state is tagged; a programmer's mistake
  if (phase === undefined) throw new Error('Internal error: the deployment is in a state without a phase tag.');
  return phase;
}
