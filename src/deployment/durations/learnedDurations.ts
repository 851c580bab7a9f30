/**
 * How long changes take in this workspace, learned from the events of its own deployments: the
 * ETA and the poll schedule (pollSchedule.ts) expect what happened before.
 *
 * - A duration is one resource's first in-progress event to its success, in the same operation
 *   kind (create, update, delete), in the provider's own timestamps. Failures, cancellations,
 *   rollbacks and the clean-up of replaced copies are not learned: a failure usually comes early
 *   (a handler's refusal), a cancellation is cut short, and neither says how long the next
 *   success takes.
 * - Learned twice: per resource of a target (the same logical ID usually takes about as long each
 *   time, so it is asked first), and per resource type (for resources this target never changed).
 *   Nested rows ("Parent/Child") are resources like any other: the type is the child's.
 * - Each key keeps its last SAMPLES_KEPT samples; the estimate is their median (one slow day does
 *   not move it), with a spread from their range. Keys are kept newest-learned last and the
 *   oldest go first past MAX_TYPE_KEYS / MAX_RESOURCE_KEYS, so what is stored in workspace state
 *   stays bounded (about 100 KB at most) whatever the workspace deploys.
 * - Also learned per type: when a second in-progress event follows the first (a handler that
 *   accepted the request: "Resource creation Initiated"), or that none does: the poll schedule
 *   expects it too.
 */
import type { DeploymentEvent, TargetRef } from '../../providers/provider';
import type { Change } from '../../providers/provider';
import { defaultDuration, defaultProgressDelay, type ChangeKind, type DurationEstimate } from './defaultDurations';

export type { ChangeKind, DurationEstimate } from './defaultDurations';

export interface LearnedDurations {
  version: 1;
  /** `kind|resourceType` → the newest durations in ms, oldest first. */
  byType: Record<string, number[]>;
  /** `targetKey|kind|logicalId` → the newest durations in ms, oldest first. */
  byResource: Record<string, number[]>;
  /** `kind|resourceType` → ms from the first in-progress event to the second; NO_PROGRESS_EVENT when none came. */
  progressByType: Record<string, number[]>;
}

export const SAMPLES_KEPT = 8;
export const MAX_TYPE_KEYS = 300;
export const MAX_RESOURCE_KEYS = 800;
/** A progress sample that says: this change had no second in-progress event. */
export const NO_PROGRESS_EVENT = -1;
/** Below this, a spread is finer than the timestamps and the polls can tell apart. */
const MIN_SPREAD_MS = 150;
/** From one or two samples the range says little: assume the usual variation of a cloud call. */
const FEW_SAMPLES_RELATIVE_SPREAD = 0.25;
/** Never narrower than this share of the duration: the same change varies at least that much. */
const MIN_RELATIVE_SPREAD = 0.05;

export function emptyLearnedDurations(): LearnedDurations {
  return { version: 1, byType: {}, byResource: {}, progressByType: {} };
}

/** The target a resource's own history belongs to: the same name elsewhere is another resource. */
export function durationTargetKey(target: TargetRef): string {
  return `${target.provider}|${target.region ?? ''}|${target.name}`;
}

const typeKey = (kind: ChangeKind, resourceType: string) => `${kind}|${resourceType}`;
const resourceKey = (targetKey: string, kind: ChangeKind, logicalId: string) => `${targetKey}|${kind}|${logicalId}`;

/** The kind of change a change-list action makes, for providers whose event statuses do not say it. */
export function changeKindOf(action: Change['action']): ChangeKind | undefined {
  if (action === 'Add') return 'create';
  if (action === 'Modify' || action === 'Dynamic') return 'update';
  if (action === 'Remove') return 'delete';
  return undefined;
}

function eventKind(event: DeploymentEvent, actions: ReadonlyMap<string, ChangeKind>): ChangeKind | undefined {
  const status = event.providerStatus;
  if (status.startsWith('CREATE_')) return 'create';
  if (status.startsWith('UPDATE_')) return 'update';
  if (status.startsWith('DELETE_')) return 'delete';
  return actions.get(event.logicalId);
}

/** Events that say nothing about how long the next success takes (see the module's comment). */
function ignored(event: DeploymentEvent, targetName: string): boolean {
  if (event.logicalId === targetName || event.isCleanup === true || event.isCancellation) return true;
  if (event.status !== 'inProgress' && event.status !== 'succeeded') return true;
  return /ROLLBACK/i.test(event.providerStatus) || /ROLLBACK/i.test(event.operationType ?? '');
}

/** Appends a sample, keeps the newest SAMPLES_KEPT, and moves the key to the newest end. */
function remember(table: Record<string, number[]>, key: string, sample: number, maxKeys: number): Record<string, number[]> {
  const samples = [...(table[key] ?? []), Math.round(sample)].slice(-SAMPLES_KEPT);
  const next: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(table)) if (k !== key) next[k] = v;
  next[key] = samples;
  const keys = Object.keys(next);
  for (const stale of keys.slice(0, Math.max(0, keys.length - maxKeys))) delete next[stale];
  return next;
}

interface Open {
  kind: ChangeKind;
  resourceType: string;
  startedAt: number;
  progressAt?: number;
}

/**
 * The durations after this deployment: `events` oldest first, as the deployment keeps them.
 * `changes` tells the kind of each change where the events' statuses do not.
 */
export function learnFromDeployment(
  learned: LearnedDurations,
  deployment: { targetKey: string; targetName: string; events: readonly DeploymentEvent[]; changes?: readonly Change[] },
): LearnedDurations {
  const actions = new Map<string, ChangeKind>();
  for (const change of deployment.changes ?? []) {
    const kind = changeKindOf(change.action);
    if (kind) actions.set(change.logicalId, kind);
  }
  let { byType, byResource, progressByType } = normalizeLearnedDurations(learned);
  const open = new Map<string, Open>();
  for (const event of deployment.events) {
    const at = Date.parse(event.timestamp);
    if (!Number.isFinite(at)) continue;
    if (ignored(event, deployment.targetName)) {
      // A rollback or failure ends what was running: its duration is not a success's.
      if (!event.isCleanup && event.logicalId !== deployment.targetName) open.delete(event.logicalId);
      continue;
    }
    const kind = eventKind(event, actions);
    if (!kind) continue;
    const running = open.get(event.logicalId);
    if (event.status === 'inProgress') {
      if (running?.kind === kind) {
        if (running.progressAt === undefined && at >= running.startedAt) running.progressAt = at;
      } else open.set(event.logicalId, { kind, resourceType: event.resourceType, startedAt: at });
      continue;
    }
    open.delete(event.logicalId);
    if (running?.kind !== kind || at < running.startedAt) continue;
    const ms = at - running.startedAt;
    byType = remember(byType, typeKey(kind, running.resourceType), ms, MAX_TYPE_KEYS);
    byResource = remember(byResource, resourceKey(deployment.targetKey, kind, event.logicalId), ms, MAX_RESOURCE_KEYS);
    const progress = running.progressAt === undefined ? NO_PROGRESS_EVENT : running.progressAt - running.startedAt;
    progressByType = remember(progressByType, typeKey(kind, running.resourceType), progress, MAX_TYPE_KEYS);
  }
  return { version: 1, byType, byResource, progressByType };
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of the samples, and half their range as the spread (see the module's comment). */
export function estimateOf(samples: readonly number[]): DurationEstimate {
  const sorted = [...samples].sort((a, b) => a - b);
  const ms = median(sorted);
  const observed = sorted.length >= 3 ? (sorted.at(-1)! - sorted[0]) / 2 : ms * FEW_SAMPLES_RELATIVE_SPREAD;
  const spreadMs = Math.max(MIN_SPREAD_MS, ms * MIN_RELATIVE_SPREAD, observed);
  return { ms: Math.round(ms), spreadMs: Math.round(spreadMs) };
}

export interface DurationQuery {
  targetKey: string;
  logicalId: string;
  resourceType: string;
  kind: ChangeKind;
}

/** What this change is expected to take: this resource's history, else its type's, else the default. */
export function expectedDuration(learned: LearnedDurations, q: DurationQuery): DurationEstimate & { basis: 'history' | 'defaults' } {
  const own = learned.byResource[resourceKey(q.targetKey, q.kind, q.logicalId)];
  if (own && own.length > 0) return { ...estimateOf(own), basis: 'history' };
  const ofType = learned.byType[typeKey(q.kind, q.resourceType)];
  if (ofType && ofType.length > 0) return { ...estimateOf(ofType), basis: 'history' };
  return { ...defaultDuration(q.resourceType, q.kind), basis: 'defaults' };
}

/**
 * When the second in-progress event of this change is expected after its first, if one is: most
 * of its type's changes had one. `duration` is the change's expected duration (for the default).
 */
export function expectedProgressDelay(learned: LearnedDurations, q: DurationQuery, duration: DurationEstimate): DurationEstimate | undefined {
  const samples = learned.progressByType[typeKey(q.kind, q.resourceType)];
  if (!samples || samples.length === 0) return defaultProgressDelay(q.kind, duration);
  const seen = samples.filter((s) => s !== NO_PROGRESS_EVENT);
  if (seen.length * 2 < samples.length) return undefined;
  return estimateOf(seen);
}

function sampleTable(raw: unknown, maxKeys: number, allowNoProgress: boolean): Record<string, number[]> {
  const table: Record<string, number[]> = {};
  if (typeof raw !== 'object' || raw === null) return table;
  const entries = Object.entries(raw as Record<string, unknown>).slice(-maxKeys);
  for (const [key, value] of entries) {
    if (!Array.isArray(value)) continue;
    const samples = value
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (v >= 0 || (allowNoProgress && v === NO_PROGRESS_EVENT)))
      .slice(-SAMPLES_KEPT);
    if (samples.length > 0) table[key] = samples;
  }
  return table;
}

/**
 * Learned durations as read back from storage: anything that is not a version-1 record (another
 * build's, a hand edit, nothing yet) starts empty, and every table is bounded again.
 */
export function normalizeLearnedDurations(raw: unknown): LearnedDurations {
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return emptyLearnedDurations();
  const record = raw as Partial<Record<keyof LearnedDurations, unknown>>;
  return {
    version: 1,
    byType: sampleTable(record.byType, MAX_TYPE_KEYS, false),
    byResource: sampleTable(record.byResource, MAX_RESOURCE_KEYS, false),
    progressByType: sampleTable(record.progressByType, MAX_TYPE_KEYS, true),
  };
}
