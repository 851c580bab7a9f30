/**
 * The side-by-side bench's figures (scripts/benchFigures.ts) from made-up call logs, event logs
 * and worker reports: which events a deploy caused, how late each reached the user, the final
 * event, the reviewable moment, the pages ratio, and the pooling over rounds.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { percentile, toolFigures, toolRound, type RoundInput } from '../../scripts/benchFigures';
import type { CallRecord, SimEventRecord } from '../../tools/cfn-sim/index';

const T0 = 1_800_000_000_000;
/** The simulated clock runs 60 s ahead of the wall clock in these rounds. */
const OFFSET = 60_000;

function event(eventId: string, wallAt: number, status: string, logicalId = 'Queue0'): SimEventRecord {
  const stack = logicalId === 'stack';
  return {
    stackName: 'bench',
    stackId: 'arn:stack/bench/1',
    eventId,
    logicalId,
    resourceType: stack ? 'AWS::CloudFormation::Stack' : 'AWS::SQS::Queue',
    status,
    at: wallAt + OFFSET,
  };
}

function call(action: string, wallAt: number, extra: Partial<CallRecord> = {}): CallRecord {
  return { action, at: new Date(wallAt).toISOString(), answeredAt: new Date(wallAt + 5).toISOString(), params: {}, status: 200, accessKeyId: 'k', ...extra };
}

function input(overrides: Partial<RoundInput['report']> = {}): RoundInput {
  return {
    report: {
      kind: 'report',
      tool: 'cdk',
      ok: true,
      outcome: 'deployed',
      startedAt: T0,
      endedAt: T0 + 10_500,
      cpuMs: 120,
      childCpuMs: 0,
      sightings: { a: T0 + 2_400, b: T0 + 6_100, c: T0 + 10_200 },
      ...overrides,
    },
    calls: [
      call('CreateChangeSet', T0 + 10),
      call('DescribeChangeSet', T0 + 20, { changeSetStatus: 'CREATE_PENDING' }),
      call('DescribeChangeSet', T0 + 5_020, { changeSetStatus: 'CREATE_COMPLETE' }),
      call('DescribeStackEvents', T0 + 6_000, { news: true }),
      call('DescribeStackEvents', T0 + 8_000, { news: false }),
      call('DescribeStackEvents', T0 + 10_000, { news: true }),
    ],
    events: [
      event('old', T0 - 100_000, 'CREATE_COMPLETE', 'stack'),
      event('review', T0 + 15, 'REVIEW_IN_PROGRESS', 'stack'),
      event('a', T0 + 2_000, 'CREATE_IN_PROGRESS', 'stack'),
      event('b', T0 + 5_000, 'CREATE_COMPLETE'),
      event('c', T0 + 9_800, 'CREATE_COMPLETE', 'stack'),
      event('unseen', T0 + 9_000, 'CREATE_IN_PROGRESS', 'Queue1'),
    ],
    clockOffsetMs: OFFSET,
  };
}

describe('bench figures', () => {
  it("counts only the deploy's own events, each from when it happened to when it was shown", () => {
    const round = toolRound(input());
    assert.deepEqual(round.latenciesMs, [400, 1_100, 400]);
    assert.equal(round.eventsHappened, 4, 'not the earlier operation, not REVIEW_IN_PROGRESS');
    assert.equal(round.eventsShown, 3);
    assert.equal(round.completionMs, 700, "from the stack's final event (the last stack event) to the end");
  });

  it('takes the reviewable moment from the first CREATE_COMPLETE answer, unless the tool reports its own', () => {
    assert.equal(toolRound(input()).reviewableMs, 5_025);
    assert.equal(toolRound(input({ reviewableAt: T0 + 3_000 })).reviewableMs, 3_000);
  });

  it('counts calls and event pages with news', () => {
    const round = toolRound(input());
    assert.equal(round.calls, 6);
    assert.deepEqual([round.pages, round.pagesWithNews], [3, 2]);
    assert.deepEqual(round.callsByAction, { CreateChangeSet: 1, DescribeChangeSet: 2, DescribeStackEvents: 3 });
  });

  it('pools rounds: percentiles over every event, CPU and calls summed, reviewable cold and warm apart', () => {
    const first = toolRound(input());
    const second = toolRound(input({ reviewableAt: T0 + 1_000, cpuMs: 80 }));
    const figures = toolFigures([first, second]);
    assert.equal(figures.p50Ms, 400);
    assert.equal(figures.p95Ms, 1_100);
    assert.equal(figures.cpuMs, 200);
    assert.equal(figures.calls, 12);
    assert.equal(figures.reviewableColdMs, 5_025);
    assert.equal(figures.reviewableWarmMs, 1_000);
  });

  it('nearest-rank percentiles', () => {
    assert.equal(percentile([5, 1, 4, 2, 3], 0.5), 3);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
    assert.ok(Number.isNaN(percentile([], 0.5)));
  });
});
