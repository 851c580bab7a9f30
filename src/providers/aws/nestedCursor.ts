/**
 * What the poll cursor carries about nested stacks, beside the root's own EventCursor fields (the
 * same JSON object; each side decodes only its own fields). Persisted with the deployment, so a
 * reload resumes following mid-deployment.
 *
 * Bounded: a nested stack is in the cursor only while it is being followed (its resource in the
 * parent is in progress, or its own events are not yet read to its settled status). Settled ones
 * leave; should a rollback touch one again, the parent's event names its ARN and it is followed
 * anew from that event. MAX_FOLLOWED caps the list against a pathological template.
 */
import { cursorField, decodeCursorWith, type CursorFields } from '../pollCursor';
import { decodeDurations, decodeRunning, type Durations, type Running } from './readForecast';

/** Nested stacks followed at once; beyond this a nested stack's rows show only its parent's row. */
export const MAX_FOLLOWED = 200;
/** Root resources remembered as in progress; beyond this the root is simply read on every poll. */
export const MAX_BUSY = 100;

/** One nested stack whose events the poll reads. */
export interface FollowedStack {
  /** Its row key, which prefixes its resources' keys: "Network", or "App/Network" deeper down. */
  key: string;
  /** The nested stack's ARN (the PhysicalResourceId of its resource in the parent), once known. */
  stackId?: string;
  /** Epoch ms of the parent's event that opened this phase: the nested stack's older events are history. */
  since: number;
  /** Newest of its events already read. */
  lastEventId?: string;
  /** Its own stack status, from its events read in this phase. */
  status?: string;
  /** Its resource's latest status in the parent. */
  parentStatus: string;
  /**
   * Epoch ms from which the parent rolls it back: its resources' events from then on are a
   * rollback whatever its own status says (earlier ones, read late, are not).
   */
  rollbackFrom?: number;
  /** Read once after its resource in the parent settled: the next prune drops it unless it still runs. */
  finalRead?: true;
  /**
   * The parent's operation (and its kind) that drives this phase: its rows are logged under it,
   * not under the nested stack's own operation, which the person never started.
   */
  operationId?: string;
  operationType?: string;
  /** When it was last read (epoch ms) and its estimated event rate (readCadence.ts). */
  readAt?: number;
  rate?: number;
  /** Its resources in progress at its last read, with their start times (readForecast.ts); overflow: too many to remember. */
  running?: Running[];
  runningOverflow?: true;
}

export interface NestedCursor {
  /** Nested stacks being followed, each after its parent. */
  nested?: FollowedStack[];
  /** Root resources (not nested stacks) in progress when the root was last read. */
  busy?: string[];
  /** More root resources in progress than `busy` holds: the root is read on every poll. */
  busyOverflow?: true;
  /** The root's next events are expected to say something (a nested stack settled, a resource finished): read it next poll. */
  rootDue?: true;
  /** Epoch ms of the root's last read, and the root's estimated event rate (readCadence.ts). */
  rootReadAt?: number;
  rootRate?: number;
  /** How long resources of each type took in this operation, for read forecasts (readForecast.ts). */
  durations?: Durations;
}

function followedStack(value: unknown): FollowedStack | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const key = cursorField.text(v['key']);
  const since = cursorField.count(v['since']);
  const parentStatus = cursorField.text(v['parentStatus']);
  if (!key || since === undefined || parentStatus === undefined) return undefined;
  const entry: FollowedStack = { key, since, parentStatus };
  const stackId = cursorField.text(v['stackId']);
  const lastEventId = cursorField.text(v['lastEventId']);
  const status = cursorField.text(v['status']);
  if (stackId) entry.stackId = stackId;
  if (lastEventId) entry.lastEventId = lastEventId;
  if (status) entry.status = status;
  const operationId = cursorField.text(v['operationId']);
  const operationType = cursorField.text(v['operationType']);
  if (operationId) entry.operationId = operationId;
  if (operationType) entry.operationType = operationType;
  const readAt = cursorField.count(v['readAt']);
  const rate = cursorField.count(v['rate']);
  if (readAt !== undefined) entry.readAt = readAt;
  if (rate !== undefined) entry.rate = rate;
  const rollbackFrom = cursorField.count(v['rollbackFrom']);
  if (rollbackFrom !== undefined) entry.rollbackFrom = rollbackFrom;
  if (cursorField.flag(v['finalRead'])) entry.finalRead = true;
  const running = decodeRunning(v['running']);
  if (running) entry.running = running;
  if (cursorField.flag(v['runningOverflow'])) entry.runningOverflow = true;
  return entry;
}

/** The well-formed entries of a stored list (a damaged entry is dropped, not the whole list), at most MAX_FOLLOWED. */
function followedStacks(value: unknown): FollowedStack[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const entries = value.map(followedStack).filter((e): e is FollowedStack => e !== undefined);
  return entries.length > 0 ? entries.slice(0, MAX_FOLLOWED) : undefined;
}

const NESTED_CURSOR_FIELDS: CursorFields<NestedCursor> = {
  nested: followedStacks,
  busy: (value) => cursorField.texts(value)?.slice(0, MAX_BUSY),
  busyOverflow: cursorField.flag,
  rootDue: cursorField.flag,
  rootReadAt: cursorField.count,
  rootRate: cursorField.count,
  durations: decodeDurations,
};

export function decodeNestedCursor(encoded: string | undefined): NestedCursor {
  return decodeCursorWith(encoded, NESTED_CURSOR_FIELDS);
}

/** The fields worth writing: none while no nested stack is followed, so a plain stack's cursor carries nothing extra. */
export function nestedCursorFields(cursor: NestedCursor): NestedCursor {
  if (!cursor.nested || cursor.nested.length === 0) return {};
  return {
    nested: cursor.nested && cursor.nested.length > 0 ? cursor.nested : undefined,
    busy: cursor.busy && cursor.busy.length > 0 ? cursor.busy : undefined,
    busyOverflow: cursor.busyOverflow,
    rootDue: cursor.rootDue,
    rootReadAt: cursor.rootReadAt,
    rootRate: cursor.rootRate,
    durations: cursor.durations,
  };
}
