/**
 * The monitor's expected times: each row's expected duration, and the timeline row with its ETA
 * once the changes run (deployment/durations/eta.ts says how it is estimated). Pure; the learned
 * durations come from the session (the workspace's history), defaults per type without them.
 */
import type { DeploymentSnapshot } from '../deployment/machine';
import { estimateTimeline, widestWaveOf } from '../deployment/durations/eta';
import { expectedMsOf } from '../deployment/durations/expectations';
import { durationTargetKey, emptyLearnedDurations, type LearnedDurations } from '../deployment/durations/learnedDurations';
import { finalState } from '../deployment/snapshotReaders';
import type { ChangeRow, TimelineView } from '../shared/viewModel';

export function expectedTimes(
  snapshot: DeploymentSnapshot,
  rows: readonly ChangeRow[],
  now: number,
  durations: LearnedDurations = emptyLearnedDurations(),
): { changes: ChangeRow[]; timeline?: TimelineView } {
  const { context } = snapshot;
  const targetKey = durationTargetKey(context.target);
  const changes = rows.map((row) => {
    const expectedMs = expectedMsOf({ resources: context.resources, learned: durations, targetKey }, row);
    return expectedMs === undefined ? row : { ...row, expectedMs };
  });
  const startedAt = Date.parse(context.operation?.startedAt ?? '');
  if (!context.executed || !Number.isFinite(startedAt)) return { changes };
  const clockOffsetMs = context.pollTiming?.clockOffsetMs ?? 0;
  // Ended: when its last event says it did, on the local clock like the rest.
  const lastEvent = Date.parse(context.events.at(-1)?.timestamp ?? '');
  const endedAt = finalState(snapshot) !== undefined ? (Number.isFinite(lastEvent) ? Math.max(startedAt, lastEvent + clockOffsetMs) : now) : undefined;
  const timeline = estimateTimeline({
    changes: context.changes,
    resources: context.resources,
    learned: durations,
    targetKey,
    clockOffsetMs,
    now,
    startedAt,
    ...(endedAt !== undefined ? { endedAt } : {}),
    widestWave: widestWaveOf(Object.values(context.resources)),
  });
  return { changes, timeline };
}
