/**
 * The deployment status model (seed 003): a target status, an activity status and an error
 * status, merged into the one status people see. Every transition only moves forward.
 */
import { FINAL_STATES, type FinalState } from './machine/tags';

/** What the deployment wants: staged → deployed | archived, never backwards. */
export type TargetStatus = 'staged' | 'deployed' | 'archived';

/** The last known lifecycle step. Ordered: a later step never gives way to an earlier one. */
export const ACTIVITY_ORDER = [
  'preflight',
  'initializing',
  'preparing',
  'otherOperation',
  'awaitingConsent',
  'recreating',
  'staging',
  'reviewing',
  'executing',
  'deploying',
  'stopping',
  'rollingBack',
  // How it ends: the machine's final states, which all share one rank.
  ...FINAL_STATES,
] as const;

export type ActivityStatus = (typeof ACTIVITY_ORDER)[number];

export const TERMINAL_ACTIVITIES: ReadonlySet<ActivityStatus> = new Set(FINAL_STATES);

/**
 * none ↔ retrying while the agent keeps trying; lostContact when the cloud's answer is unknown
 * and a person must ask again; failed is the end.
 */
export type ErrorStatus = 'none' | 'retrying' | 'lostContact' | 'failed';

export type ShownStatus = ActivityStatus | Exclude<ErrorStatus, 'none'>;

export interface DeploymentStatus {
  target: TargetStatus;
  activity: ActivityStatus;
  error: ErrorStatus;
  /**
   * Recreating an unrecoverable stack starts the lifecycle again from `initializing`.
   * Each restart is a new round, so "forward" compares (round, activity).
   */
  round: number;
}

export const INITIAL_STATUS: DeploymentStatus = { target: 'staged', activity: 'preflight', error: 'none', round: 0 };

const TARGET_RANK: Record<TargetStatus, number> = { staged: 0, deployed: 1, archived: 2 };

function activityRank(activity: ActivityStatus): number {
  // All terminal activities share one rank: none may replace another.
  return TERMINAL_ACTIVITIES.has(activity) ? ACTIVITY_ORDER.indexOf(FINAL_STATES[0]) : ACTIVITY_ORDER.indexOf(activity);
}

export function isTerminal(status: DeploymentStatus): boolean {
  return TERMINAL_ACTIVITIES.has(status.activity) || status.error === 'failed';
}

/** Moves the activity forward; a step backwards (or any change after the end) is ignored. */
export function advanceActivity(status: DeploymentStatus, next: ActivityStatus): DeploymentStatus {
  if (isTerminal(status)) return status;
  if (activityRank(next) <= activityRank(status.activity)) return status;
  return { ...status, activity: next };
}

/** Starts a new round (after recreating a stack): the only way back to `initializing`. */
export function startNewRound(status: DeploymentStatus): DeploymentStatus {
  if (isTerminal(status)) return status;
  return { ...status, activity: 'initializing', round: status.round + 1 };
}

export function advanceTarget(status: DeploymentStatus, next: TargetStatus): DeploymentStatus {
  if (TARGET_RANK[next] <= TARGET_RANK[status.target]) return status;
  return { ...status, target: next };
}

/** `failed` is final; `retrying`, `lostContact` and `none` alternate while the deployment is alive. */
export function setErrorStatus(status: DeploymentStatus, next: ErrorStatus): DeploymentStatus {
  if (status.error === 'failed' || isTerminal(status)) return status;
  return { ...status, error: next };
}

/** Errors take precedence over the activity, as in seed 003. */
export function shownStatus(status: DeploymentStatus): ShownStatus {
  return status.error === 'none' ? status.activity : status.error;
}

/**
 * Ends the deployment. A deployment that never reached `deployed` is archived: it can never
 * be deployed again, and a new deployment starts from scratch.
 */
export function complete(status: DeploymentStatus, final: FinalState, failed: boolean): DeploymentStatus {
  if (isTerminal(status)) return status;
  const target: TargetStatus = status.target === 'staged' ? 'archived' : status.target;
  return { ...status, activity: final, error: failed ? 'failed' : 'none', target };
}
