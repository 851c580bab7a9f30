/**
 * What a resource's change is expected to take before this workspace has seen one: each
 * provider's orders of magnitude per resource type (its descriptor's `durations`), else a generic
 * default. They are starting points, not measurements: learnedDurations.ts replaces them with
 * this workspace's own history as soon as it has some.
 *
 * The spread is wide on purpose (half the duration): a default that pretends to be precise would
 * make polling wait at one moment for a change that comes a minute earlier or later.
 */
import type { DurationDefault } from '../../providers/descriptor';
import { allDescriptors } from '../../providers/registry';

export type ChangeKind = 'create' | 'update' | 'delete';

export interface DurationEstimate {
  ms: number;
  /** How far either side of `ms` the real duration usually falls. */
  spreadMs: number;
}

/** A type no provider knows: tens of seconds is the most common order for a cloud resource. */
const UNKNOWN_SECONDS = 15;
/** An update or delete a row leaves out: updates change less than a create, deletes less still. */
const UPDATE_SHARE = 0.8;
const DELETE_SHARE = 0.6;
/** Defaults are orders of magnitude: honest about it, the real time is within ±50% as often as not. */
const DEFAULT_RELATIVE_SPREAD = 0.5;

/** Resource type names are the provider's own, so the first provider row that matches is the one. */
function rowFor(resourceType: string): DurationDefault | undefined {
  for (const descriptor of allDescriptors()) {
    const row = descriptor.durations?.find(([pattern]) => pattern.test(resourceType));
    if (row) return row;
  }
  return undefined;
}

/** The default expectation for a change of `kind` to a resource of `resourceType`. */
export function defaultDuration(resourceType: string, kind: ChangeKind): DurationEstimate {
  const row = rowFor(resourceType);
  const create = row?.[1] ?? UNKNOWN_SECONDS;
  const seconds = kind === 'create' ? create : kind === 'update' ? (row?.[2] ?? create * UPDATE_SHARE) : (row?.[3] ?? create * DELETE_SHARE);
  const ms = Math.round(seconds * 1000);
  return { ms, spreadMs: Math.round(ms * DEFAULT_RELATIVE_SPREAD) };
}

/**
 * A create's first in-progress event is often followed by a second one when the provider's
 * handler has accepted the request ("Resource creation Initiated"), about a second later in
 * consoles; a resource quicker than that shows it no later than halfway through. Updates and
 * deletes have no such event to expect until this workspace has seen one.
 */
export function defaultProgressDelay(kind: ChangeKind, duration: DurationEstimate): DurationEstimate | undefined {
  if (kind !== 'create') return undefined;
  const ms = Math.min(1_000, Math.round(duration.ms / 2));
  return { ms, spreadMs: Math.round(ms / 2) };
}
