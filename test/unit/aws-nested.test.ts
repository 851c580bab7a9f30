/**
 * Following nested stacks, the pure half, over event pages shaped like CloudFormation's: which
 * nested stacks a parent's events open, their events as Parent/Child rows, what the cursor keeps
 * (and drops), when the root may go unread, and the read cadence.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { decodeNestedCursor, MAX_FOLLOWED, nestedCursorFields, type FollowedStack, type NestedCursor } from '../../src/providers/aws/nestedCursor';
import { mustReadRoot, ROOT_QUIET_READ_MS } from '../../src/providers/aws/nestedFollow';
import { childRows, mergeByTime, needsRead, noteParentEvents, pruneFollowed } from '../../src/providers/aws/nestedStacks';
import { eventWeight, isReadDue, MAX_READ_GAP_MS, nextRate, readGapMs } from '../../src/providers/aws/readCadence';
import { encodeCursor, toDeploymentEvents } from '../../src/providers/aws/stackEvents';

const ROOT = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/11111111-1111-1111-1111-111111111111';
const CHILD = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app-Network-1ABCDEFGHIJK/22222222-2222-2222-2222-222222222222';
const T0 = Date.parse('2026-11-30T10:00:00.000Z');

let counter = 0;
function event(stackId: string, stackName: string, logicalId: string, type: string, status: string, at: number, extra: Partial<StackEvent> = {}): StackEvent {
  counter++;
  return {
    EventId: `ev-${counter}`,
    StackId: stackId,
    StackName: stackName,
    LogicalResourceId: logicalId,
    ResourceType: type,
    ResourceStatus: status as StackEvent['ResourceStatus'],
    Timestamp: new Date(T0 + at * 1000),
    ...extra,
  };
}

/** The parent's events for its nested stack resource "Network". */
const network = (status: string, at: number, physicalId = CHILD, reason?: string): StackEvent =>
  event(ROOT, 'app', 'Network', 'AWS::CloudFormation::Stack', status, at, {
    PhysicalResourceId: physicalId,
    ResourceStatusReason: reason,
    ClientRequestToken: 'sw-dep-1',
  });
/** The nested stack's own stack event, and one of its resources'. */
const childStack = (status: string, at: number): StackEvent =>
  event(CHILD, 'app-Network-1ABCDEFGHIJK', 'app-Network-1ABCDEFGHIJK', 'AWS::CloudFormation::Stack', status, at, { PhysicalResourceId: CHILD });
const childResource = (logicalId: string, status: string, at: number, reason?: string): StackEvent =>
  event(CHILD, 'app-Network-1ABCDEFGHIJK', logicalId, 'AWS::EC2::Subnet', status, at, {
    PhysicalResourceId: `${logicalId}-phys`,
    ResourceStatusReason: reason,
  });

function noted(followed: FollowedStack[], parentEvents: StackEvent[], parentStatus = 'CREATE_IN_PROGRESS'): FollowedStack[] {
  return noteParentEvents(followed, undefined, parentEvents, toDeploymentEvents(parentEvents, parentStatus).events);
}

describe('nested stacks: what the parent opens', () => {
  it('a nested stack resource opens a follow at its first in-progress event; its ARN comes with "Resource creation Initiated"', () => {
    const first = noted([], [network('CREATE_IN_PROGRESS', 1, '')]);
    assert.deepEqual(first, [{ key: 'Network', since: T0 + 1000, parentStatus: 'CREATE_IN_PROGRESS' }]);
    assert.equal(needsRead(first[0]), false, 'nothing to read without its ARN');
    const initiated = noted(first, [network('CREATE_IN_PROGRESS', 2, CHILD, 'Resource creation Initiated')]);
    assert.equal(initiated[0]?.stackId, CHILD);
    assert.equal(initiated[0]?.since, T0 + 1000, 'the phase still starts at the first event');
    assert.equal(needsRead(initiated[0]), true);
  });

  it('the parent rolling it back opens a new phase, read as a rollback from that event on', () => {
    let followed = noted([], [network('CREATE_IN_PROGRESS', 1), network('CREATE_COMPLETE', 9)]);
    followed[0].status = 'CREATE_COMPLETE';
    followed[0].lastEventId = 'ev-last';
    followed = noted(followed, [network('DELETE_IN_PROGRESS', 20)], 'ROLLBACK_IN_PROGRESS');
    const entry = followed[0];
    assert.equal(entry.rollbackFrom, T0 + 20_000);
    assert.equal(entry.status, undefined, 'its own status is read anew');
    assert.equal(needsRead(entry), true);
    const rows = childRows(
      entry,
      [childResource('Subnet', 'CREATE_COMPLETE', 8), childStack('DELETE_IN_PROGRESS', 21), childResource('Subnet', 'DELETE_COMPLETE', 22)],
      false,
    );
    assert.deepEqual(
      rows.events.map((r) => [r.logicalId, r.status]),
      [
        ['Network/Subnet', 'succeeded'],
        ['Network/Subnet', 'rolledBack'],
      ],
      'a late-read forward event stays forward; the delete the rollback drives is not "done"',
    );
  });

  it('deeper nested stacks are keyed under their parent row', () => {
    const inner = event(CHILD, 'app-Network-1ABCDEFGHIJK', 'Inner', 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 3, {
      PhysicalResourceId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app-Network-1ABC-Inner-XYZ/3',
    });
    const followed = noteParentEvents([], 'Network', [inner], toDeploymentEvents([inner], 'CREATE_IN_PROGRESS').events);
    assert.equal(followed[0]?.key, 'Network/Inner');
  });
});

describe('nested stacks: their events as rows', () => {
  const entry: FollowedStack = { key: 'Network', stackId: CHILD, since: T0 + 1000, parentStatus: 'CREATE_IN_PROGRESS' };

  it("a first read drops what is older than the phase; the nested stack's own events only move its status", () => {
    const page = [
      childStack('UPDATE_COMPLETE', -50),
      childResource('Old', 'UPDATE_COMPLETE', -51),
      childStack('CREATE_IN_PROGRESS', 1),
      childResource('Subnet', 'CREATE_IN_PROGRESS', 2),
      childResource('Subnet', 'CREATE_FAILED', 3, 'The subnet CIDR is invalid'),
      childResource('Route', 'CREATE_FAILED', 3, 'Resource creation cancelled'),
      childStack('ROLLBACK_IN_PROGRESS', 4),
      childResource('Subnet', 'DELETE_COMPLETE', 5),
      childStack('ROLLBACK_COMPLETE', 6),
    ];
    const rows = childRows(entry, page, true);
    assert.equal(rows.status, 'ROLLBACK_COMPLETE');
    assert.deepEqual(
      rows.events.map((r) => [r.logicalId, r.providerStatus, r.status, r.isCancellation]),
      [
        ['Network/Subnet', 'CREATE_IN_PROGRESS', 'inProgress', false],
        ['Network/Subnet', 'CREATE_FAILED', 'failed', false],
        ['Network/Route', 'CREATE_FAILED', 'cancelled', true],
        ['Network/Subnet', 'DELETE_COMPLETE', 'rolledBack', false],
      ],
    );
    assert.equal(rows.raw.length, rows.events.length);
  });

  it("rows carry the parent operation that drives them, not the nested stack's own", () => {
    const rows = childRows(
      { ...entry, operationId: 'op-root', operationType: 'CREATE_STACK' },
      [childResource('Subnet', 'CREATE_IN_PROGRESS', 2, undefined)],
      true,
    );
    assert.equal(rows.events[0]?.operationId, 'op-root');
    assert.equal(rows.events[0]?.operationType, 'CREATE_STACK');
  });

  it('merges stacks oldest first, each stack keeping its own order on equal times', () => {
    const [a, b] = toDeploymentEvents([network('CREATE_IN_PROGRESS', 1), network('CREATE_COMPLETE', 5)], 'CREATE_IN_PROGRESS').events;
    const child = childRows(entry, [childResource('Subnet', 'CREATE_IN_PROGRESS', 1), childResource('Subnet', 'CREATE_COMPLETE', 3)], true).events;
    assert.deepEqual(
      mergeByTime([a, b], child).map((e) => `${e.logicalId} ${e.providerStatus}`),
      ['Network CREATE_IN_PROGRESS', 'Network/Subnet CREATE_IN_PROGRESS', 'Network/Subnet CREATE_COMPLETE', 'Network CREATE_COMPLETE'],
    );
  });
});

describe('nested stacks: what the cursor keeps', () => {
  it('a settled nested stack whose resource settled leaves; one still running stays; children leave with their parent', () => {
    const base = { since: T0, stackId: CHILD };
    const kept = pruneFollowed([
      { ...base, key: 'Done', parentStatus: 'CREATE_COMPLETE', status: 'CREATE_COMPLETE' },
      { ...base, key: 'Done/Inner', parentStatus: 'CREATE_IN_PROGRESS' },
      { ...base, key: 'Running', parentStatus: 'CREATE_IN_PROGRESS', status: 'CREATE_IN_PROGRESS' },
      { ...base, key: 'Waiting', parentStatus: 'CREATE_IN_PROGRESS', status: 'CREATE_COMPLETE' },
      { ...base, key: 'Late', parentStatus: 'CREATE_COMPLETE' },
      { ...base, key: 'LateRead', parentStatus: 'CREATE_COMPLETE', finalRead: true },
    ]);
    assert.deepEqual(
      kept.map((f) => f.key),
      ['Running', 'Waiting', 'Late'],
    );
  });

  it('survives the round trip inside the root cursor; a damaged entry is dropped, not the list; the list is bounded', () => {
    const cursor: NestedCursor = {
      nested: [
        {
          key: 'Network',
          stackId: CHILD,
          since: T0,
          parentStatus: 'CREATE_IN_PROGRESS',
          lastEventId: 'e9',
          status: 'CREATE_IN_PROGRESS',
          rollbackFrom: T0 + 5,
          readAt: T0 + 9,
          rate: 1.5,
          running: [['Subnet', 'AWS::EC2::Subnet', T0 + 2]],
        },
      ],
      busy: ['Queue'],
      rootReadAt: T0,
      rootRate: 2,
      durations: { 'AWS::EC2::Subnet': [3000, 4500] },
    };
    const encoded = encodeCursor({ lastEventId: 'root-e1', ...nestedCursorFields(cursor) });
    assert.deepEqual(decodeNestedCursor(encoded), { ...cursor, busyOverflow: undefined, rootDue: undefined });
    const damaged = JSON.stringify({ nested: [{ key: 'A', since: 1, parentStatus: 'X' }, { key: 7 }, 'nonsense', { key: 'B', parentStatus: 'X' }] });
    assert.deepEqual(
      decodeNestedCursor(damaged).nested?.map((f) => f.key),
      ['A'],
    );
    const many = JSON.stringify({ nested: Array.from({ length: MAX_FOLLOWED + 50 }, (_, i) => ({ key: `S${i}`, since: 1, parentStatus: 'X' })) });
    assert.equal(decodeNestedCursor(many).nested?.length, MAX_FOLLOWED);
    assert.deepEqual(nestedCursorFields({ busy: ['Q'], rootReadAt: 5 }), {}, 'a plain stack carries nothing of this');
  });
});

describe('nested stacks: when the root is read', () => {
  const now = T0 + 100_000;
  const running: FollowedStack = { key: 'Network', stackId: CHILD, since: T0, parentStatus: 'CREATE_IN_PROGRESS', status: 'CREATE_IN_PROGRESS' };
  const quiet: NestedCursor = { nested: [running], rootReadAt: now - 2_000, rootRate: 0 };
  const inProgress = { stackStatus: 'CREATE_IN_PROGRESS' };

  it('goes unread while only followed nested stacks work', () => {
    assert.equal(mustReadRoot(inProgress, quiet, now), false);
  });

  it('is read when a nested stack settled, when its ARN is not known, when its own resources work and are due, and as a safety net', () => {
    assert.equal(mustReadRoot(inProgress, { ...quiet, nested: [{ ...running, status: 'CREATE_COMPLETE' }] }, now), true, 'a settled one: the parent says next');
    assert.equal(mustReadRoot(inProgress, { ...quiet, nested: [{ ...running, stackId: undefined }] }, now), true, 'its ARN comes from the parent');
    assert.equal(mustReadRoot(inProgress, { ...quiet, rootDue: true }, now), true);
    assert.equal(mustReadRoot(inProgress, { ...quiet, busy: ['Queue'], rootRate: 100 }, now), true, 'a busy root, due');
    assert.equal(mustReadRoot(inProgress, { ...quiet, busy: ['Queue'], rootRate: 0.01, rootReadAt: now - 1_000 }, now), false, 'a busy root, not due yet');
    assert.equal(mustReadRoot(inProgress, { ...quiet, rootReadAt: now - ROOT_QUIET_READ_MS }, now), true);
    assert.equal(mustReadRoot({}, quiet, now), true, 'nothing known of the root yet');
    assert.equal(mustReadRoot({ stackStatus: 'CREATE_COMPLETE' }, quiet, now), true);
    assert.equal(mustReadRoot(inProgress, { ...quiet, nested: undefined }, now), true, 'no nested stacks: every poll, as always');
  });
});

describe('read cadence', () => {
  it('reads a busy stack every poll, a quiet one less often, down to the cap', () => {
    assert.equal(readGapMs(undefined), 0);
    assert.equal(readGapMs(50), 1_000);
    assert.equal(readGapMs(0), MAX_READ_GAP_MS);
    assert.ok(readGapMs(1) > readGapMs(2));
    assert.equal(isReadDue(undefined, 0, T0), true);
    assert.equal(isReadDue(T0, 0, T0 + 1_000), false);
    assert.equal(isReadDue(T0, 0, T0 + MAX_READ_GAP_MS), true);
  });

  it('an empty read halves the rate; a burst raises it; starts weigh a quarter', () => {
    assert.equal(nextRate(4, 0, 1_000), 2);
    assert.ok(nextRate(1, 10, 1_000) > 5);
    assert.equal(eventWeight(['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'CREATE_FAILED']), 2.5);
  });
});
