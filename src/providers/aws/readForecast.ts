/**
 * When a followed nested stack will surely have news, from its resources' start times: a resource
 * that started at S and was still running at the last read is done by S + the longest a finished
 * resource of its type took in this operation. A stack is read by the earliest such end at the
 * latest, so such a read does not come back empty, and the end of its last resource (the stack's
 * own completion follows it at once) is seen soon, not after a gap stretched by the sparse events
 * of a stack's tail. (The earliest possible end reads too early: resources of one kind vary.)
 *
 * Resources of one type in one deployment take similar times (queues seconds, a database many
 * minutes); a resource that outlasts every one seen, or a type not seen finishing yet, has no
 * forecast and is read on the rate cadence (readCadence.ts) with its gap capped.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { cursorField } from '../pollCursor';
import { isStackEvent } from './stackEvents';

/** A resource in progress in a followed stack: logical ID, type, and the epoch ms it started. */
export type Running = [id: string, type: string, at: number];
/** Distinct durations (ms, ascending) of the resources of each type that finished in this operation. */
export type Durations = Record<string, number[]>;

/** Resources remembered as running per stack; past this the stack has no forecast. */
export const MAX_RUNNING = 60;
const MAX_DURATIONS_PER_TYPE = 12;
const MAX_TYPES = 24;
/** Durations are kept to this grain (rounded up, so a forecast errs late, not into an empty read). */
const GRAIN_MS = 100;

/** Running resources after a stack's new events (oldest first), and the durations they add. */
export function noteRunning(
  running: readonly Running[],
  durations: Durations,
  events: readonly StackEvent[],
): { running: Running[]; overflow: boolean; durations: Durations } {
  const byId = new Map(running.map((r) => [r[0], r]));
  let overflow = false;
  let learned = durations;
  for (const event of events) {
    const id = event.LogicalResourceId;
    const at = event.Timestamp?.getTime();
    if (!id || at === undefined || isStackEvent(event)) continue;
    if ((event.ResourceStatus ?? '').endsWith('_IN_PROGRESS')) {
      // The first start counts ("Resource creation Initiated" follows it).
      if (byId.has(id)) continue;
      if (byId.size < MAX_RUNNING) byId.set(id, [id, event.ResourceType ?? '', at]);
      else overflow = true;
      continue;
    }
    const started = byId.get(id);
    if (!started) continue;
    byId.delete(id);
    learned = withDuration(learned, started[1], at - started[2]);
  }
  return { running: [...byId.values()], overflow, durations: learned };
}

function withDuration(durations: Durations, type: string, ms: number): Durations {
  if (ms < 0) return durations;
  const rounded = Math.ceil(ms / GRAIN_MS) * GRAIN_MS;
  const known = durations[type] ?? [];
  if (known.includes(rounded)) return durations;
  if (known.length === 0 && Object.keys(durations).length >= MAX_TYPES) return durations;
  const next = [...known, rounded].sort((a, b) => a - b);
  // Bounded: the shortest ones decide forecasts, the longest says how far they can reach.
  const kept = next.length > MAX_DURATIONS_PER_TYPE ? [...next.slice(0, MAX_DURATIONS_PER_TYPE - 1), next[next.length - 1] ?? rounded] : next;
  return { ...durations, [type]: kept };
}

export interface Forecast {
  /** Epoch ms the earliest running resource is expected to end. */
  newsAt?: number;
  /** A running resource has no forecast (outlasted all of its type, or none finished yet). */
  unforecast: boolean;
}

/** When the stack's next news is expected, given what ran at its last read (epoch ms). */
export function forecast(running: readonly Running[], durations: Durations, readAt: number): Forecast {
  let newsAt: number | undefined;
  let unforecast = false;
  for (const [, type, at] of running) {
    const elapsed = readAt - at;
    const known = durations[type] ?? [];
    const ends = known.length > 0 && (known[known.length - 1] ?? 0) > elapsed ? known[known.length - 1] : undefined;
    if (ends === undefined) unforecast = true;
    else newsAt = Math.min(newsAt ?? Number.POSITIVE_INFINITY, at + ends);
  }
  return { newsAt, unforecast };
}

export function decodeRunning(value: unknown): Running[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const entries = value.filter(
    (v): v is Running => Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'string' && typeof v[2] === 'number',
  );
  return entries.length > 0 ? entries.slice(0, MAX_RUNNING) : undefined;
}

export function decodeDurations(value: unknown): Durations | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const durations: Durations = {};
  for (const [type, list] of Object.entries(value).slice(0, MAX_TYPES)) {
    const ms = Array.isArray(list) ? list.filter((d): d is number => typeof cursorField.count(d) === 'number' && d >= 0) : [];
    if (ms.length > 0) durations[type] = [...new Set(ms)].sort((a, b) => a - b).slice(0, MAX_DURATIONS_PER_TYPE);
  }
  return Object.keys(durations).length > 0 ? durations : undefined;
}
