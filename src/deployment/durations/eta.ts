/**
 * The running operation's expected end, for the monitor's timeline row. Pure, and recomputed from
 * the events so far at every model, so it moves as they arrive.
 *
 * The change list says which resources change and how, not in which order, so the estimate does
 * without the dependency graph, and says so by being simple:
 * - A running change ends at its start plus its expected duration. One that outlasts that is
 *   late, not done: it is expected a tenth of its duration later (at least OVERDUE_MIN_MS) from
 *   now, so the ETA moves out with it and never shows a time already past while it runs.
 * - Changes not started yet run in waves after the running ones end. A wave is as wide as the
 *   most changes seen running at once in this operation (or the running ones now): what the
 *   provider's graph let run side by side so far. The longest changes are put together, and each
 *   wave takes as long as its slowest change, because whatever waits on a wave waits on its
 *   slowest member. Longest-first keeps that from piling up needlessly.
 * - The basis is 'history' when every change used this workspace's history, 'defaults' when none
 *   did, and 'mixed' otherwise.
 */
import type { TimelineView } from '../../shared/viewModel';
import { pendingChanges, runningChanges, type ExpectationInput, type ExpectedChange } from './expectations';

/** A late change is expected at least this far past now: "any moment" without a time in the past. */
const OVERDUE_MIN_MS = 1_000;
const OVERDUE_SHARE = 0.1;

export interface TimelineInput extends ExpectationInput {
  now: number;
  /** Local epoch ms the operation started (the execute). */
  startedAt: number;
  /** Local epoch ms it ended, once it has. */
  endedAt?: number;
  /** The most changes seen running at once so far (see the module's comment); 0 when unknown. */
  widestWave: number;
}

function basisOf(all: readonly ExpectedChange[]): TimelineView['basis'] {
  const fromHistory = all.filter((c) => c.duration.basis === 'history').length;
  if (fromHistory === all.length) return 'history';
  return fromHistory === 0 ? 'defaults' : 'mixed';
}

/** How long the not-started changes take in waves of `width`, longest first. */
function wavesMs(pending: readonly ExpectedChange[], width: number): number {
  const longestFirst = pending.map((c) => c.duration.ms).sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < longestFirst.length; i += width) total += longestFirst[i];
  return total;
}

export function estimateTimeline(input: TimelineInput): TimelineView {
  const running = runningChanges(input);
  const pending = pendingChanges(input);
  const all = [...running, ...pending];
  const view: TimelineView = { startedAt: input.startedAt, basis: all.length > 0 ? basisOf(all) : 'defaults' };
  if (input.endedAt !== undefined) {
    view.endedAt = input.endedAt;
    view.expectedEndAt = input.endedAt;
    return view;
  }
  if (all.length === 0) {
    // Every listed change is over and the operation has not said it ended: that is next.
    if (input.changes.length > 0) view.expectedEndAt = input.now + OVERDUE_MIN_MS;
    return view;
  }
  let runningEnd = input.now;
  for (const change of running) {
    const due = change.startedAt + change.duration.ms;
    const late = input.now + Math.max(OVERDUE_MIN_MS, change.duration.ms * OVERDUE_SHARE);
    runningEnd = Math.max(runningEnd, due > input.now ? due : late);
  }
  const width = Math.max(1, input.widestWave, running.length);
  view.expectedEndAt = Math.round(runningEnd + wavesMs(pending, width));
  return view;
}

/** The most resources in progress at once, from their start and settle times (ISO). */
export function widestWaveOf(spans: readonly { startedAt?: string; settledAt?: string }[]): number {
  const marks: Array<[number, number]> = [];
  for (const span of spans) {
    const start = span.startedAt ? Date.parse(span.startedAt) : NaN;
    if (!Number.isFinite(start)) continue;
    marks.push([start, 1]);
    const end = span.settledAt ? Date.parse(span.settledAt) : NaN;
    if (Number.isFinite(end)) marks.push([end, -1]);
  }
  // Ends before starts at the same instant: a dependent starting as its dependency ends is not side by side.
  marks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let widest = 0;
  for (const [, step] of marks) {
    now += step;
    widest = Math.max(widest, now);
  }
  return widest;
}
