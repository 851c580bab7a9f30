/**
 * The side-by-side figures, from what the simulator recorded (every call with its caller and when
 * it was answered, every event with when it happened) and what each worker reported (when each
 * event reached its user, when it finished, its CPU). Pure: no I/O.
 */
import type { CallRecord, SimEventRecord } from '../tools/cfn-sim/index';
import type { Window } from './benchBound';
import type { DeployReport } from './benchWorkerProtocol';

/** One tool's round. */
export interface ToolRound {
  ok: boolean;
  outcome: string;
  /** Per event this tool showed: ms from when it happened to when the user saw it. */
  latenciesMs: number[];
  eventsHappened: number;
  eventsShown: number;
  /** When each event the deploy caused happened (wall-clock ms): the clairvoyant bound's input (benchBound.ts). */
  eventTimesMs: number[];
  /** Each completion's window, had its usual duration been known but not this round's draw (benchBound.ts). */
  completionWindows: Window[];
  /** ms from the stack's final event to the tool saying it is done. */
  completionMs: number;
  cpuMs: number;
  childCpuMs?: number;
  calls: number;
  callsByAction: Record<string, number>;
  pages: number;
  pagesWithNews: number;
  /** ms from the deploy's start to a reviewable change set (see reviewableAt). */
  reviewableMs?: number;
  learned?: DeployReport['learned'];
  learnedResources?: number;
}

export interface RoundInput {
  report: DeployReport;
  /** This round's calls made with this tool's access key. */
  calls: readonly CallRecord[];
  /** The events of this tool's stack. */
  events: readonly SimEventRecord[];
  /** Simulated clock minus the wall clock during the round: event times are on the simulated clock. */
  clockOffsetMs: number;
  /** The scenario's completion windows, where it knows its resources' usual durations. */
  completionWindows?: Window[];
}

/**
 * The events a deploy caused: those of its stack from its start on, without the REVIEW_IN_PROGRESS
 * one a first change set writes (it is no status change of the deployment, and the CDK's monitor
 * starts after it).
 */
function causedEvents(input: RoundInput): { eventId: string; wallAt: number; isStackEvent: boolean }[] {
  return input.events
    .map((e) => ({ eventId: e.eventId, wallAt: e.at - input.clockOffsetMs, isStackEvent: e.resourceType === 'AWS::CloudFormation::Stack', status: e.status }))
    .filter((e) => e.wallAt >= input.report.startedAt && e.status !== 'REVIEW_IN_PROGRESS');
}

/**
 * When the change set was reviewable: the worker's own moment when it reports one (Stackwatch: the
 * change list reached its user), otherwise the first DescribeChangeSet that answered this caller
 * CREATE_COMPLETE (the CDK, which then still diffs before it shows anything: in its favour).
 */
function reviewableAt(input: RoundInput): number | undefined {
  if (input.report.reviewableAt !== undefined) return input.report.reviewableAt;
  const ready = input.calls.find((c) => c.action === 'DescribeChangeSet' && c.changeSetStatus === 'CREATE_COMPLETE' && c.answeredAt !== undefined);
  return ready ? Date.parse(ready.answeredAt ?? '') : undefined;
}

export function toolRound(input: RoundInput): ToolRound {
  const { report } = input;
  const caused = causedEvents(input);
  const latenciesMs = caused.flatMap((e) => {
    const seen = report.sightings[e.eventId];
    return seen === undefined ? [] : [Math.max(0, seen - e.wallAt)];
  });
  const finalStackEvent = caused.filter((e) => e.isStackEvent).at(-1);
  const callsByAction: Record<string, number> = {};
  for (const call of input.calls) callsByAction[call.action] = (callsByAction[call.action] ?? 0) + 1;
  const pages = input.calls.filter((c) => c.action === 'DescribeStackEvents');
  const reviewable = reviewableAt(input);
  return {
    ok: report.ok,
    outcome: report.outcome,
    latenciesMs,
    eventsHappened: caused.length,
    eventsShown: latenciesMs.length,
    eventTimesMs: caused.map((e) => e.wallAt),
    completionWindows: input.completionWindows ?? [],
    completionMs: finalStackEvent ? report.endedAt - finalStackEvent.wallAt : NaN,
    cpuMs: report.cpuMs,
    childCpuMs: report.childCpuMs,
    calls: input.calls.length,
    callsByAction,
    pages: pages.length,
    pagesWithNews: pages.filter((c) => c.news === true).length,
    reviewableMs: reviewable === undefined ? undefined : reviewable - report.startedAt,
    learned: report.learned,
    learnedResources: report.learnedResources,
  };
}

/** One tool's figures over a scenario's rounds. */
export interface ToolFigures {
  rounds: number;
  failed: string[];
  p50Ms: number;
  p95Ms: number;
  eventsShown: number;
  eventsHappened: number;
  /** Per round, when each event the deploy caused happened. */
  eventTimesByRound: number[][];
  completionWindowsByRound: Window[][];
  completionMs: number;
  cpuMs: number;
  childCpuMs?: number;
  calls: number;
  callsByAction: Record<string, number>;
  pages: number;
  pagesWithNews: number;
  /** Round 1's deploy → reviewable (cold: nothing cached, nothing learned). */
  reviewableColdMs?: number;
  /** The median over rounds 2+ (the template unchanged since the round before). */
  reviewableWarmMs?: number;
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export function toolFigures(rounds: readonly ToolRound[]): ToolFigures {
  const callsByAction: Record<string, number> = {};
  for (const round of rounds) for (const [action, n] of Object.entries(round.callsByAction)) callsByAction[action] = (callsByAction[action] ?? 0) + n;
  const children = rounds.map((r) => r.childCpuMs);
  const warm = rounds.slice(1).flatMap((r) => (r.reviewableMs === undefined ? [] : [r.reviewableMs]));
  return {
    rounds: rounds.length,
    failed: rounds.filter((r) => !r.ok).map((r) => r.outcome),
    p50Ms: percentile(
      rounds.flatMap((r) => r.latenciesMs),
      0.5,
    ),
    p95Ms: percentile(
      rounds.flatMap((r) => r.latenciesMs),
      0.95,
    ),
    eventsShown: sum(rounds.map((r) => r.eventsShown)),
    eventsHappened: sum(rounds.map((r) => r.eventsHappened)),
    eventTimesByRound: rounds.map((r) => r.eventTimesMs),
    completionWindowsByRound: rounds.map((r) => r.completionWindows),
    completionMs: median(rounds.map((r) => r.completionMs)),
    cpuMs: sum(rounds.map((r) => r.cpuMs)),
    childCpuMs: children.every((c) => c !== undefined) ? sum(children) : undefined,
    calls: sum(rounds.map((r) => r.calls)),
    callsByAction,
    pages: sum(rounds.map((r) => r.pages)),
    pagesWithNews: sum(rounds.map((r) => r.pagesWithNews)),
    reviewableColdMs: rounds[0]?.reviewableMs,
    reviewableWarmMs: warm.length ? median(warm) : undefined,
  };
}

/** Stackwatch ÷ CDK. */
export function ratio(stackwatch: number, cdk: number): number {
  return stackwatch / cdk;
}
