/**
 * This workspace's learned durations (deployment/durations/learnedDurations.ts), in workspace
 * state: read when a deployment starts or is restored, and taught by each deployment that ends.
 * What is stored is bounded and holds resource names, types and times only, never a value.
 */
import { durationTargetKey, learnFromDeployment, normalizeLearnedDurations, type LearnedDurations } from '../deployment/durations/learnedDurations';
import type { SnapshotLike } from '../deployment/snapshotReaders';
import type { StateStore } from './history';

const KEY = 'learnedDurations';

export class DurationStore {
  constructor(private readonly state: StateStore) {}

  /** What was learned so far; anything unreadable starts afresh (it is only an estimate). */
  load(): LearnedDurations {
    return normalizeLearnedDurations(this.state.get<unknown>(KEY));
  }

  /** Learns from an ended deployment's events; one that never ran anything teaches nothing. */
  async learnFrom(snapshot: Pick<SnapshotLike, 'context'>): Promise<void> {
    const { context } = snapshot;
    if (context.events.length === 0) return;
    const learned = learnFromDeployment(this.load(), {
      targetKey: durationTargetKey(context.target),
      targetName: context.target.name,
      events: context.events,
      changes: context.changes,
    });
    await this.state.update(KEY, learned);
  }
}
