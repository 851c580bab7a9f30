/**
 * The poll schedule (../pollSchedule.ts) as the machine uses it: what a poll's answer teaches the
 * timing kept in the context, and the schedule's state read from the context and the learned
 * durations. Pure: the local time is a parameter (MachineOptions.now supplies it).
 */
import type { PollResult } from '../../providers/provider';
import { runningChanges } from '../durations/expectations';
import { durationTargetKey, type LearnedDurations } from '../durations/learnedDurations';
import { FIRST_WAVE_LIMIT_MS, notePoll, type Expectation, type PollTiming, type ScheduleState } from '../pollSchedule';
import type { DeploymentContext } from './context';

export function pollTimingAfter(context: DeploymentContext, result: PollResult, now: number): PollTiming {
  return notePoll(context.pollTiming, now, { eventTimestamps: result.events.map((e) => e.timestamp), pagesRead: result.pagesRead });
}

/** The execute is done and none of its changes has shown yet, shortly after it started. */
function awaitingFirstWave(context: DeploymentContext, now: number): boolean {
  if (!context.executed || context.changes.length === 0 || context.phase !== 'inProgress') return false;
  const startedAt = Date.parse(context.operation?.startedAt ?? '');
  if (!Number.isFinite(startedAt) || now - startedAt > FIRST_WAVE_LIMIT_MS) return false;
  return context.changes.every((change) => (context.resources[change.logicalId]?.status ?? 'pending') === 'pending');
}

export function scheduleStateOf(context: DeploymentContext, learned: LearnedDurations, now: number): ScheduleState {
  const running = runningChanges({
    changes: context.changes,
    resources: context.resources,
    learned,
    targetKey: durationTargetKey(context.target),
    clockOffsetMs: context.pollTiming?.clockOffsetMs ?? 0,
  });
  const expected: Expectation[] = [];
  for (const change of running) {
    expected.push({ at: change.startedAt + change.duration.ms, spreadMs: change.duration.spreadMs });
    if (change.progressAt !== undefined) expected.push({ at: change.progressAt, spreadMs: change.progressSpreadMs ?? 0 });
  }
  const state: ScheduleState = {
    watched: context.watched,
    idleStreak: context.idleStreak,
    expected,
    awaitingFirstWave: awaitingFirstWave(context, now),
  };
  if (context.pollTiming) state.timing = context.pollTiming;
  return state;
}
