/**
 * What the running operation is expected to do next, from its change list, the resources' events
 * so far and the learned durations: when each running change should end (and show its second
 * in-progress event), and what the changes not started yet should take. The ETA (eta.ts) and the
 * poll schedule (pollSchedule.ts) both read it. Pure.
 *
 * Times are on the local clock: a resource's start is the provider's timestamp plus the
 * provider-to-local offset the polls measured (PollTiming.clockOffsetMs), so a skewed clock does
 * not shift every expectation by its skew.
 */
import type { Change } from '../../providers/provider';
import type { ResourceMap, ResourceState } from '../resources';
import { changeKindOf, expectedDuration, expectedProgressDelay, type ChangeKind, type DurationEstimate, type LearnedDurations } from './learnedDurations';

export interface ExpectationInput {
  changes: readonly Change[];
  resources: ResourceMap;
  learned: LearnedDurations;
  targetKey: string;
  /** Local clock minus the provider's (ms); 0 while unknown. */
  clockOffsetMs: number;
}

export interface ExpectedChange {
  logicalId: string;
  kind: ChangeKind;
  duration: DurationEstimate & { basis: 'history' | 'defaults' };
}

export interface RunningChange extends ExpectedChange {
  /** Local epoch ms it started. */
  startedAt: number;
  /** When its second in-progress event is expected (local epoch ms), while it has not shown one. */
  progressAt?: number;
  progressSpreadMs?: number;
}

/** The kind of a resource's current change: its status word says it, else the change list does. */
function kindOf(state: Pick<ResourceState, 'providerStatus'> | undefined, change: Change | undefined): ChangeKind | undefined {
  const status = state?.providerStatus ?? '';
  if (status.startsWith('CREATE_')) return 'create';
  if (status.startsWith('UPDATE_')) return 'update';
  if (status.startsWith('DELETE_')) return 'delete';
  return change ? changeKindOf(change.action) : undefined;
}

function byLogicalId(changes: readonly Change[]): Map<string, Change> {
  return new Map(changes.map((c) => [c.logicalId, c]));
}

/** The changes running now (in progress, or being rolled back), with when each should end. */
export function runningChanges(input: ExpectationInput): RunningChange[] {
  const changes = byLogicalId(input.changes);
  const running: RunningChange[] = [];
  for (const state of Object.values(input.resources)) {
    if (state.status !== 'inProgress' && state.status !== 'rollingBack') continue;
    const kind = kindOf(state, changes.get(state.logicalId));
    // A rollback's own steps start at its latest event; a forward change at its first.
    const since = Date.parse(state.status === 'rollingBack' ? state.updatedAt : (state.startedAt ?? state.updatedAt));
    if (!kind || !Number.isFinite(since)) continue;
    const query = { targetKey: input.targetKey, logicalId: state.logicalId, resourceType: state.resourceType, kind };
    const duration = expectedDuration(input.learned, query);
    const made: RunningChange = { logicalId: state.logicalId, kind, duration, startedAt: since + input.clockOffsetMs };
    // Only the first in-progress event is in: its latest event is still its start.
    if (state.status === 'inProgress' && state.startedAt === state.updatedAt) {
      const progress = expectedProgressDelay(input.learned, query, duration);
      if (progress) {
        made.progressAt = made.startedAt + progress.ms;
        made.progressSpreadMs = progress.spreadMs;
      }
    }
    running.push(made);
  }
  return running;
}

/** The changes in the list that have not started yet, with what each should take. */
export function pendingChanges(input: ExpectationInput): ExpectedChange[] {
  const pending: ExpectedChange[] = [];
  for (const change of input.changes) {
    const state = input.resources[change.logicalId];
    if (state !== undefined && state.status !== 'pending') continue;
    const kind = kindOf(undefined, change);
    if (!kind) continue;
    const query = { targetKey: input.targetKey, logicalId: change.logicalId, resourceType: change.resourceType, kind };
    pending.push({ logicalId: change.logicalId, kind, duration: expectedDuration(input.learned, query) });
  }
  return pending;
}

/** A row's expected time: its change's, whether it has started or not; undefined for no change. */
export function expectedMsOf(input: Omit<ExpectationInput, 'clockOffsetMs' | 'changes'>, change: Change): number | undefined {
  const kind = kindOf(input.resources[change.logicalId], change);
  if (!kind) return undefined;
  return expectedDuration(input.learned, { targetKey: input.targetKey, logicalId: change.logicalId, resourceType: change.resourceType, kind }).ms;
}
