/** The ETA: from the change list and the events so far, moving as they arrive, never in the past while something runs. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { estimateTimeline, widestWaveOf, type TimelineInput } from '../../src/deployment/durations/eta';
import { durationTargetKey, emptyLearnedDurations, expectedDuration, learnFromDeployment } from '../../src/deployment/durations/learnedDurations';
import { applyEvents, type ResourceMap } from '../../src/deployment/resources';
import type { Change, DeploymentEvent, ResourceStatus } from '../../src/providers/provider';

const STACK = 'demo';
const TARGET_KEY = durationTargetKey({ provider: 'aws', name: STACK, region: 'us-east-1' });
const QUEUE = 'AWS::SQS::Queue';
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
/** The provider's clock runs this far behind the local one: the ETA is on the local clock all the same. */
const SKEW = 90_000;

const CHANGES: Change[] = ['A', 'B', 'C', 'D'].map((id) => ({ logicalId: id, action: 'Add', resourceType: QUEUE }));
let ids = 0;

function ev(logicalId: string, providerStatus: string, status: ResourceStatus, localMs: number): DeploymentEvent {
  return {
    id: `e${ids++}`,
    timestamp: new Date(T0 + localMs - SKEW).toISOString(),
    logicalId,
    resourceType: QUEUE,
    providerStatus,
    status,
    isCancellation: false,
  };
}

function input(resources: ResourceMap, now: number, extra: Partial<TimelineInput> = {}): TimelineInput {
  return {
    changes: CHANGES,
    resources,
    learned: emptyLearnedDurations(),
    targetKey: TARGET_KEY,
    clockOffsetMs: SKEW,
    now: T0 + now,
    startedAt: T0,
    widestWave: widestWaveOf(Object.values(resources)),
    ...extra,
  };
}

const defaultQueueMs = expectedDuration(emptyLearnedDurations(), { targetKey: TARGET_KEY, logicalId: 'A', resourceType: QUEUE, kind: 'create' }).ms;

describe('the ETA', () => {
  it('before any change starts, expects the list in waves of defaults', () => {
    const view = estimateTimeline(input({}, 0));
    assert.equal(view.startedAt, T0);
    assert.equal(view.basis, 'defaults');
    // Nothing seen running side by side yet: one wave per change, the honest upper end.
    assert.equal(view.expectedEndAt, T0 + 4 * defaultQueueMs);
  });

  it('moves as events arrive: waves as wide as seen, and an early finish brings it in', () => {
    const started = applyEvents({}, [ev('A', 'CREATE_IN_PROGRESS', 'inProgress', 100), ev('B', 'CREATE_IN_PROGRESS', 'inProgress', 100)], STACK);
    const running = estimateTimeline(input(started, 500));
    // A and B run side by side; C and D are expected as one more wave after them.
    assert.equal(running.expectedEndAt, T0 + 100 + defaultQueueMs + defaultQueueMs);
    const early = applyEvents(started, [ev('A', 'CREATE_COMPLETE', 'succeeded', 1_000), ev('B', 'CREATE_COMPLETE', 'succeeded', 1_000)], STACK);
    const after = estimateTimeline(input(early, 1_100));
    assert.ok(after.expectedEndAt! < running.expectedEndAt, 'what ended early brings the end in');
    assert.equal(after.expectedEndAt, T0 + 1_100 + defaultQueueMs);
  });

  it('a change that outlasts its expectation pushes the ETA out, never into the past', () => {
    const running = applyEvents({}, [ev('A', 'CREATE_IN_PROGRESS', 'inProgress', 0)], STACK);
    const changes = [CHANGES[0]];
    let previous = 0;
    for (let now = 0; now <= 10 * defaultQueueMs; now += 700) {
      const view = estimateTimeline(input(running, now, { changes }));
      assert.ok(view.expectedEndAt! > T0 + now, `at ${now} ms the ETA ${view.expectedEndAt! - T0} is still ahead`);
      assert.ok(view.expectedEndAt! >= previous, 'while it runs the ETA never comes earlier');
      previous = view.expectedEndAt!;
    }
    assert.ok(previous > T0 + 10 * defaultQueueMs, 'a long overrun moved it well past the expectation');
  });

  it('uses the history it has, and says when it mixes it with defaults', () => {
    const history = ['A', 'B', 'C'].flatMap((id) => [ev(id, 'CREATE_IN_PROGRESS', 'inProgress', 0), ev(id, 'CREATE_COMPLETE', 'succeeded', 1_500)]);
    const learned = learnFromDeployment(emptyLearnedDurations(), { targetKey: TARGET_KEY, targetName: STACK, events: history });
    assert.equal(estimateTimeline(input({}, 0, { learned })).basis, 'history', 'the type’s history covers D too');
    const other: Change = { logicalId: 'Table', action: 'Add', resourceType: 'AWS::DynamoDB::Table' };
    assert.equal(estimateTimeline(input({}, 0, { learned, changes: [...CHANGES, other] })).basis, 'mixed');
    assert.equal(estimateTimeline(input({}, 0, { learned, changes: CHANGES.slice(0, 1) })).expectedEndAt, T0 + 1_500);
  });

  it('once ended, says when, and expects nothing more', () => {
    const view = estimateTimeline(input({}, 5_000, { endedAt: T0 + 4_000 }));
    assert.equal(view.endedAt, T0 + 4_000);
    assert.equal(view.expectedEndAt, T0 + 4_000);
  });

  it('counts the widest wave from when resources started and settled', () => {
    const at = (ms: number) => new Date(T0 + ms).toISOString();
    assert.equal(widestWaveOf([]), 0);
    // A dependent that starts as its dependency ends is not side by side with it.
    assert.equal(
      widestWaveOf([
        { startedAt: at(0), settledAt: at(1_000) },
        { startedAt: at(1_000), settledAt: at(2_000) },
      ]),
      1,
    );
    assert.equal(widestWaveOf([{ startedAt: at(0), settledAt: at(3_000) }, { startedAt: at(500) }, { startedAt: at(2_000), settledAt: at(2_500) }]), 3);
  });
});
