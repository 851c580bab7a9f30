/** Incremental DescribeStackEvents reading over pages shaped like the SDK's output. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { attributeEvents, decodeCursor, encodeCursor, readNewEvents, toDeploymentEvents, type EventPage } from '../../src/providers/aws/stackEvents';
import { ProviderError, type OperationRef } from '../../src/providers/provider';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1';
const T0 = Date.parse('2026-11-23T10:00:00.000Z');

function stackEvent(n: number, status: string, token: string | undefined, reason?: string, operationId?: string): StackEvent {
  return {
    OperationId: operationId,
    EventId: `e${n}`,
    StackId: STACK_ID,
    StackName: 'app',
    LogicalResourceId: 'app',
    PhysicalResourceId: STACK_ID,
    ResourceType: 'AWS::CloudFormation::Stack',
    ResourceStatus: status as StackEvent['ResourceStatus'],
    ResourceStatusReason: reason,
    ClientRequestToken: token,
    Timestamp: new Date(T0 + n * 1000),
  };
}

function resourceEvent(n: number, logicalId: string, status: string, token: string | undefined, reason?: string, operationId?: string): StackEvent {
  return {
    ...stackEvent(n, status, token, reason, operationId),
    LogicalResourceId: logicalId,
    PhysicalResourceId: `${logicalId}-phys`,
    ResourceType: 'AWS::SQS::Queue',
  };
}

/** Newest first, split into pages of `size`, like DescribeStackEvents. */
function pager(eventsOldestFirst: StackEvent[], size: number): { fetch: (token: string | undefined) => Promise<EventPage>; fetched: () => number } {
  const newestFirst = [...eventsOldestFirst].reverse();
  let fetched = 0;
  return {
    fetch: async (token) => {
      fetched++;
      const start = token ? Number(token) : 0;
      const events = newestFirst.slice(start, start + size);
      const next = start + size < newestFirst.length ? String(start + size) : undefined;
      return { events, nextToken: next };
    },
    fetched: () => fetched,
  };
}

const ours: OperationRef = { token: 'sw-dep1', startedAt: new Date(T0 + 100_000).toISOString(), kind: 'update' };

// A long history from earlier deployments, then ours.
const history = Array.from({ length: 40 }, (_, i) => resourceEvent(i, `Old${i}`, 'UPDATE_COMPLETE', 'sw-older'));
const operation = [
  stackEvent(200, 'UPDATE_IN_PROGRESS', 'sw-dep1-execute', 'User Initiated'),
  resourceEvent(201, 'Queue', 'UPDATE_IN_PROGRESS', 'sw-dep1-execute'),
  resourceEvent(202, 'Queue', 'UPDATE_COMPLETE', 'sw-dep1-execute'),
];

describe('incremental stack events', () => {
  it('an endpoint that hands back a page token it already gave is a transient fault, not an endless read', async () => {
    const looping = async (token: string | undefined): Promise<EventPage> => ({
      events: [resourceEvent(token === undefined ? 301 : 300, 'Queue', 'UPDATE_IN_PROGRESS', 'sw-other')],
      nextToken: 'same',
    });
    await assert.rejects(
      readNewEvents(looping, ours, 'e1'),
      (error: unknown) => error instanceof ProviderError && error.retryable && /page token it had already given/.test(error.message),
    );
  });

  it('on the first read, stops at the start of our operation instead of reading the whole history', async () => {
    const pages = pager([...history, ...operation], 5);
    const read = await readNewEvents(pages.fetch, ours, undefined);
    assert.deepEqual(
      read.events.map((e) => e.EventId),
      ['e200', 'e201', 'e202'],
    );
    assert.equal(read.pagesRead, 1);
    assert.equal(read.newestEventId, 'e202');
  });

  // Item 1: reads failed until CloudFormation had already begun the automatic rollback (our token,
  // a new OperationId). The first read must reach back past that rollback's start to our own.
  const failedUpdate = [
    stackEvent(200, 'UPDATE_IN_PROGRESS', 'sw-dep1-execute', 'User Initiated', 'op-1'),
    resourceEvent(201, 'Queue', 'UPDATE_IN_PROGRESS', 'sw-dep1-execute', undefined, 'op-1'),
    resourceEvent(202, 'Queue', 'UPDATE_FAILED', 'sw-dep1-execute', 'quota exceeded', 'op-1'),
    stackEvent(203, 'UPDATE_ROLLBACK_IN_PROGRESS', 'sw-dep1-execute', 'The following resource(s) failed to update: [Queue].', 'op-2'),
    resourceEvent(204, 'Queue', 'UPDATE_COMPLETE', 'sw-dep1-execute', undefined, 'op-2'),
  ];

  it("a first read that comes after the automatic rollback began still reaches our start, and the failed resource's reason", async () => {
    const read = await readNewEvents(pager([...history, ...failedUpdate], 2).fetch, ours, undefined);
    assert.deepEqual(
      read.events.map((e) => e.EventId),
      ['e200', 'e201', 'e202', 'e203', 'e204'],
    );
    assert.equal(read.events.find((e) => e.ResourceStatus === 'UPDATE_FAILED')?.ResourceStatusReason, 'quota exceeded');
  });

  it('the same, without OperationIds, and with our own OperationId known (a resumed deployment)', async () => {
    const tokensOnly = failedUpdate.map((e) => ({ ...e, OperationId: undefined }));
    const byToken = await readNewEvents(pager([...history, ...tokensOnly], 2).fetch, ours, undefined);
    assert.equal(byToken.events[0]?.EventId, 'e200');
    const byId = await readNewEvents(pager([...history, ...failedUpdate], 2).fetch, { ...ours, operationId: 'op-1' }, undefined);
    assert.equal(byId.events[0]?.EventId, 'e200');
  });

  it('a rollback we asked for (RollbackStack, ContinueUpdateRollback) starts at its own rollback event', async () => {
    const recovery: OperationRef = { token: 'sw-dep1-rollback-ab', startedAt: new Date(T0 + 300_000).toISOString(), kind: 'rollback' };
    const events = [
      ...failedUpdate,
      stackEvent(300, 'UPDATE_ROLLBACK_IN_PROGRESS', 'sw-dep1-rollback-ab', 'User Initiated'),
      resourceEvent(301, 'Queue', 'UPDATE_COMPLETE', 'sw-dep1-rollback-ab'),
    ];
    const read = await readNewEvents(pager(events, 50).fetch, recovery, undefined);
    assert.deepEqual(
      read.events.map((e) => e.EventId),
      ['e300', 'e301'],
    );
  });

  it('afterwards, reads only to the last seen event', async () => {
    const later = [
      ...operation,
      resourceEvent(203, 'Topic', 'UPDATE_IN_PROGRESS', 'sw-dep1-execute'),
      resourceEvent(204, 'Topic', 'UPDATE_COMPLETE', 'sw-dep1-execute'),
    ];
    const pages = pager([...history, ...later], 5);
    const read = await readNewEvents(pages.fetch, ours, 'e202');
    assert.deepEqual(
      read.events.map((e) => e.EventId),
      ['e203', 'e204'],
    );
    assert.equal(pages.fetched(), 1);
  });

  it('pages back as far as needed when many events arrived between polls', async () => {
    const burst = Array.from({ length: 12 }, (_, i) => resourceEvent(300 + i, `R${i}`, 'UPDATE_COMPLETE', 'sw-dep1-execute'));
    const pages = pager([...history, ...operation, ...burst], 5);
    const read = await readNewEvents(pages.fetch, ours, 'e202');
    assert.equal(read.events.length, 12);
    assert.equal(read.events[0]?.EventId, 'e300', 'oldest first');
    assert.equal(read.pagesRead, 3);
  });

  it('a read with nothing new costs one page and returns nothing', async () => {
    const pages = pager([...history, ...operation], 5);
    const read = await readNewEvents(pages.fetch, ours, 'e202');
    assert.deepEqual(read.events, []);
    assert.equal(read.pagesRead, 1);
    assert.equal(read.newestEventId, 'e202');
  });

  it("keeps a stop's events (same deployment, other request) and skips someone else's, which still move the cursor", async () => {
    const mixed = [
      ...operation,
      stackEvent(203, 'UPDATE_ROLLBACK_IN_PROGRESS', 'sw-dep1-cancel', 'User Initiated'),
      resourceEvent(204, 'Other', 'UPDATE_COMPLETE', 'console-123'),
    ];
    const read = await readNewEvents(pager(mixed, 10).fetch, ours, 'e202');
    const attributed = attributeEvents(read.events, ours, { stackStatus: 'UPDATE_IN_PROGRESS' });
    assert.deepEqual(
      attributed.ours.map((e) => e.EventId),
      ['e203'],
    );
    assert.equal(attributed.others, 1);
    assert.equal(read.newestEventId, 'e204', "someone else's event still moves the cursor");
  });

  it('without a token (watching an operation known only by its start), keeps what happened since it started', async () => {
    const reattach: OperationRef = { startedAt: new Date(T0 + 200_000).toISOString(), kind: 'update' };
    const tokenless = [...history, ...operation].map((e) => ({ ...e, ClientRequestToken: undefined }));
    const read = await readNewEvents(pager(tokenless, 50).fetch, reattach, undefined);
    assert.deepEqual(
      attributeEvents(read.events, reattach, {}).ours.map((e) => e.EventId),
      ['e200', 'e201', 'e202'],
    );
  });

  it("with a token, a recent event without one is not ours, and neither is a change set's REVIEW_IN_PROGRESS", () => {
    const recent = [
      stackEvent(150, 'UPDATE_COMPLETE', undefined),
      stackEvent(151, 'REVIEW_IN_PROGRESS', 'sw-dep1-stage-0', 'User Initiated'),
      resourceEvent(152, 'Queue', 'UPDATE_COMPLETE', undefined),
    ];
    const attributed = attributeEvents(recent, { ...ours, startedAt: new Date(T0).toISOString() }, {});
    assert.deepEqual(attributed.ours, []);
    assert.equal(attributed.state.stackStatus, undefined, 'nothing here may end (or hold) our operation');
  });

  it('learns our OperationId from our own events, and takes token-less events of that operation', () => {
    const events = [
      stackEvent(200, 'UPDATE_IN_PROGRESS', 'sw-dep1-execute', 'User Initiated', 'op-1'),
      resourceEvent(201, 'Queue', 'UPDATE_COMPLETE', undefined, undefined, 'op-1'),
      resourceEvent(202, 'Other', 'UPDATE_COMPLETE', undefined, undefined, 'op-0'),
    ];
    const attributed = attributeEvents(events, ours, {});
    assert.deepEqual(
      attributed.ours.map((e) => e.EventId),
      ['e200', 'e201'],
    );
    assert.deepEqual(attributed.state.operationIds, ['op-1']);
  });

  it("someone else's cancel of our update is followed to the end, and who cancelled is remembered", () => {
    const cancelled = [
      stackEvent(200, 'UPDATE_IN_PROGRESS', 'sw-dep1-execute', 'User Initiated', 'op-1'),
      stackEvent(203, 'UPDATE_ROLLBACK_IN_PROGRESS', 'Console-CancelUpdateStack-7', 'User Initiated', 'op-2'),
      resourceEvent(204, 'Queue', 'UPDATE_COMPLETE', 'Console-CancelUpdateStack-7', undefined, 'op-2'),
      stackEvent(205, 'UPDATE_ROLLBACK_COMPLETE', 'Console-CancelUpdateStack-7', undefined, 'op-2'),
    ];
    const attributed = attributeEvents(cancelled, ours, {});
    assert.deepEqual(
      attributed.ours.map((e) => e.EventId),
      ['e200', 'e203', 'e204', 'e205'],
    );
    assert.equal(attributed.state.stackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal(attributed.state.cancelledBy, 'Console-CancelUpdateStack-7');
  });

  it('a rollback under another token is not ours unless it interrupts our running update', () => {
    const later = [stackEvent(300, 'UPDATE_ROLLBACK_IN_PROGRESS', 'Console-CancelUpdateStack-8', 'User Initiated', 'op-9')];
    assert.deepEqual(attributeEvents(later, ours, { stackStatus: 'UPDATE_COMPLETE' }).ours, [], 'our update had already ended');
    assert.deepEqual(attributeEvents(later, ours, {}).ours, [], 'our update had not started');
  });

  it('a DELETE_COMPLETE is progress in an update, and undoing work during a rollback', () => {
    const cleanup = toDeploymentEvents(
      [stackEvent(1, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 't'), resourceEvent(2, 'Old', 'DELETE_COMPLETE', 't')],
      'UPDATE_IN_PROGRESS',
    );
    assert.equal(cleanup.events[1]?.status, 'succeeded');
    assert.equal(cleanup.events[1]?.isCleanup, true, 'the update succeeded: this removes an old copy');
    assert.equal(cleanup.events[0]?.isCleanup, undefined, "the stack's own event is not cleanup");
    const rollback = toDeploymentEvents(
      [stackEvent(1, 'ROLLBACK_IN_PROGRESS', 't', 'The following resource(s) failed to create: [Queue].'), resourceEvent(2, 'Bucket', 'DELETE_COMPLETE', 't')],
      'CREATE_IN_PROGRESS',
    );
    assert.equal(rollback.events[1]?.status, 'rolledBack');
    assert.equal(rollback.events[1]?.isCleanup, undefined);
    assert.equal(rollback.stackStatus, 'ROLLBACK_IN_PROGRESS');
    assert.equal(rollback.stackReason, 'The following resource(s) failed to create: [Queue].');
  });

  it('a local clock running ahead does not drop our own events', async () => {
    const skewed: OperationRef = { ...ours, startedAt: new Date(T0 + 200_000 + 10 * 60_000).toISOString() };
    const read = await readNewEvents(pager([...history, ...operation], 5).fetch, skewed, undefined);
    assert.deepEqual(
      read.events.map((e) => e.EventId),
      ['e200', 'e201', 'e202'],
    );
  });

  it('the cursor round-trips and survives garbage', () => {
    const cursor = { lastEventId: 'e9', stackStatus: 'UPDATE_IN_PROGRESS' };
    assert.deepEqual(decodeCursor(encodeCursor(cursor)), {
      ...cursor,
      stackReason: undefined,
      unseen: undefined,
      idle: undefined,
      operationIds: undefined,
      adoptedTokens: undefined,
      cancelledBy: undefined,
      recheck: undefined,
      operationTypes: undefined,
      failuresFound: undefined,
      failuresReadAt: undefined,
    });
    const full = {
      lastEventId: 'e9',
      operationIds: ['op-1', 'op-2'],
      adoptedTokens: ['Console-1'],
      cancelledBy: 'Console-1',
      idle: 2,
      unseen: 1,
      recheck: true,
      operationTypes: ['op-1=UPDATE_STACK', 'op-2=ROLLBACK'],
      failuresFound: ['op-1'],
      failuresReadAt: 'rollingBack',
    };
    assert.deepEqual(decodeCursor(encodeCursor(full)), { ...full, stackStatus: undefined, stackReason: undefined });
    assert.deepEqual(decodeCursor(JSON.stringify({ operationIds: [1, 2] })).operationIds, undefined);
    assert.equal(decodeCursor(JSON.stringify({ recheck: 'yes' })).recheck, undefined);
    assert.deepEqual(decodeCursor('not json'), {});
    assert.deepEqual(decodeCursor(undefined), {});
  });
});
