/** The port's optional recovery plan: what a destructive recovery would destroy, shown before consent. */
import type { Change } from './staging';
import type { RecoveryActionId, TargetRef } from './target';

// ---------- describeRecovery (optional) ----------

/**
 * What a list of resources a recovery would destroy rests on:
 * - plannedDelete: the provider planned the delete (a delete preview) and this is its plan;
 * - lastRecordedState: the resources the target last recorded (its state), which a delete destroys
 *   as far as that record is right.
 */
export type RecoveryPlanBasis = 'plannedDelete' | 'lastRecordedState';

export interface DescribeRecoveryRequest {
  target: TargetRef;
  /** The destructive action offered (delete / forceDelete). */
  action: RecoveryActionId;
  deploymentId: string;
  /** The target the consent is about (describeTarget's targetId). */
  targetId?: string;
  signal: AbortSignal;
}

export interface DescribeRecoveryResult {
  /** What the action destroys, as far as `basis` tells; each a 'Remove' change. */
  destroys: Change[];
  basis: RecoveryPlanBasis;
  /** A planned delete is still being made: asking again later may answer with basis 'plannedDelete'. */
  planning: boolean;
  /** Why the list is not a planned delete (the target is locked, the plan failed), in words. */
  note?: string;
  /**
   * Set when nothing could be listed (no recorded state, an empty record, the target not found):
   * why, in words. `destroys` is then empty and says nothing, never "nothing is destroyed".
   */
  unavailable?: string;
}

export interface DiscardRecoveryPlanRequest {
  target: TargetRef;
  deploymentId: string;
  signal: AbortSignal;
}
