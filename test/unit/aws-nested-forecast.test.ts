/**
 * Read forecasts for followed nested stacks (readForecast.ts, readCadence.isFollowedReadDue): what
 * a stack's events say is running and how long its kind takes, and when that makes a read due.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { isFollowedReadDue, MAX_READ_GAP_MS, TAIL_GAP_MS } from '../../src/providers/aws/readCadence';
import { decodeDurations, decodeRunning, forecast, MAX_RUNNING, noteRunning, type Running } from '../../src/providers/aws/readForecast';

const T0 = Date.parse('2026-11-30T10:00:00.000Z');
const QUEUE = 'AWS::SQS::Queue';
const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app-Net-1ABC/2222';

let counter = 0;
function resource(logicalId: string, status: string, atMs: number, type = QUEUE): StackEvent {
  counter++;
  return {
    EventId: `ev-${counter}`,
    StackId: STACK,
    StackName: 'app-Net-1ABC',
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    Timestamp: new Date(T0 + atMs),
  };
}

describe('read forecast: what runs and how long its kind takes', () => {
  it('a resource runs from its first start to its end; the end teaches its type a duration (rounded up to 100 ms)', () => {
    const events = [
      resource('A', 'CREATE_IN_PROGRESS', 0),
      resource('A', 'CREATE_IN_PROGRESS', 40),
      resource('B', 'CREATE_IN_PROGRESS', 100),
      resource('A', 'CREATE_COMPLETE', 3_020),
    ];
    const noted = noteRunning([], {}, events);
    assert.deepEqual(noted.running, [['B', QUEUE, T0 + 100]]);
    assert.deepEqual(noted.durations, { [QUEUE]: [3_100] });
    assert.equal(noted.overflow, false);
    const later = noteRunning(noted.running, noted.durations, [resource('B', 'CREATE_FAILED', 2_100)]);
    assert.deepEqual(later.running, []);
    assert.deepEqual(later.durations, { [QUEUE]: [2_000, 3_100] });
  });

  it('the stack event is not a resource; an end without a start teaches nothing; past MAX_RUNNING it overflows', () => {
    const stackEvent = { ...resource('app-Net-1ABC', 'CREATE_IN_PROGRESS', 0, 'AWS::CloudFormation::Stack'), PhysicalResourceId: STACK };
    const noted = noteRunning([], {}, [stackEvent, resource('Old', 'CREATE_COMPLETE', 500)]);
    assert.deepEqual(noted, { running: [], overflow: false, durations: {} });
    const many = Array.from({ length: MAX_RUNNING + 1 }, (_, i) => resource(`Q${i}`, 'CREATE_IN_PROGRESS', i));
    const crowded = noteRunning([], {}, many);
    assert.equal(crowded.running.length, MAX_RUNNING);
    assert.equal(crowded.overflow, true);
  });

  it('forecasts the earliest end by which a resource is done if it takes no longer than the longest of its kind', () => {
    const durations = { [QUEUE]: [3_000, 6_000] };
    const running: Running[] = [
      ['Late', QUEUE, T0 + 2_000],
      ['Early', QUEUE, T0],
    ];
    assert.deepEqual(forecast(running, durations, T0 + 1_000), { newsAt: T0 + 6_000, unforecast: false });
    // Outlasted the longest of its kind, or a kind that has not finished yet: no forecast.
    assert.deepEqual(forecast([['Slow', QUEUE, T0]], durations, T0 + 7_000), { newsAt: undefined, unforecast: true });
    assert.deepEqual(forecast([['Db', 'AWS::RDS::DBInstance', T0]], durations, T0 + 1_000), { newsAt: undefined, unforecast: true });
  });

  it('decodes what it wrote, and drops what is damaged', () => {
    assert.deepEqual(decodeRunning([['A', QUEUE, 5], ['B', QUEUE], 'x', [1, QUEUE, 2]]), [['A', QUEUE, 5]]);
    assert.equal(decodeRunning('nonsense'), undefined);
    assert.deepEqual(decodeDurations({ [QUEUE]: [6_000, 'x', 3_000, -1, 3_000], Other: 'no' }), { [QUEUE]: [3_000, 6_000] });
    assert.equal(decodeDurations([1, 2]), undefined);
  });
});

describe('read forecast: when a followed stack is read', () => {
  const durations = { [QUEUE]: [3_000, 5_000] };
  const readAt = T0 + 1_000;

  it('at the forecast end, not before (a slow rate does not hold it back)', () => {
    const stack = { readAt, rate: 0.1, running: [['A', QUEUE, T0]] satisfies Running[] };
    assert.equal(isFollowedReadDue(stack, durations, T0 + 4_900), false);
    assert.equal(isFollowedReadDue(stack, durations, T0 + 5_000), true);
  });

  it('on the next poll once nothing of it runs: its completion or the next starts come next', () => {
    assert.equal(isFollowedReadDue({ readAt, rate: 0.1, running: [] }, durations, readAt), false);
    assert.equal(isFollowedReadDue({ readAt, rate: 0.1, running: [] }, durations, readAt + 1), true);
  });

  it('no more than TAIL_GAP_MS apart while a running resource has no forecast', () => {
    const stack = { readAt, rate: 0.01, running: [['Db', 'AWS::RDS::DBInstance', T0]] satisfies Running[] };
    assert.equal(isFollowedReadDue(stack, durations, readAt + TAIL_GAP_MS / 2), false);
    assert.equal(isFollowedReadDue(stack, durations, readAt + TAIL_GAP_MS), true);
  });

  it('on its rate alone when nothing is remembered of what runs (not read yet, or too busy)', () => {
    assert.equal(isFollowedReadDue({ rate: 0.01 }, durations, T0), true);
    const crowded = { readAt, rate: 0.01, running: [] satisfies Running[], runningOverflow: true as const };
    assert.equal(isFollowedReadDue(crowded, durations, readAt + 1), false);
    assert.equal(isFollowedReadDue(crowded, durations, readAt + MAX_READ_GAP_MS), true);
  });
});
