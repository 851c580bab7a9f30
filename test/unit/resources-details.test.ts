/**
 * A row's times and details from its events: started at the first in-progress event, settled when
 * it reached an outcome (and running again clears that), stabilizing only while the newest event
 * says so, and a failure's hook, request ID and property kept while the status stays. The failure
 * summary merges the failure read's details into the failure of the same resource and status.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { enrichFailure, failureFromEvent, failureSummaryOf, mergeFailureDetails } from '../../src/deployment/failureDetails';
import { applyEvents, type FailureReason } from '../../src/deployment/resources';
import type { DeploymentEvent } from '../../src/providers/provider';

const STACK = 'demo';
let n = 0;
function ev(second: number, status: DeploymentEvent['status'], providerStatus: string, extra: Partial<DeploymentEvent> = {}): DeploymentEvent {
  n++;
  return {
    id: `e${n}`,
    timestamp: `2026-11-22T10:00:${String(second).padStart(2, '0')}.000Z`,
    logicalId: 'Table',
    resourceType: 'AWS::DynamoDB::Table',
    providerStatus,
    status,
    isCancellation: false,
    ...extra,
  };
}

describe('row times and details', () => {
  it('started at the first in-progress event, settled when it succeeded', () => {
    const map = applyEvents(
      {},
      [ev(1, 'inProgress', 'CREATE_IN_PROGRESS'), ev(4, 'inProgress', 'CREATE_IN_PROGRESS'), ev(9, 'succeeded', 'CREATE_COMPLETE')],
      STACK,
    );
    assert.equal(map.Table?.startedAt, '2026-11-22T10:00:01.000Z');
    assert.equal(map.Table?.settledAt, '2026-11-22T10:00:09.000Z');
  });

  it('no settled time while it runs; a rollback runs it again and settles it anew, the start stays', () => {
    let map = applyEvents({}, [ev(1, 'inProgress', 'CREATE_IN_PROGRESS'), ev(5, 'succeeded', 'CREATE_COMPLETE')], STACK);
    map = applyEvents(map, [ev(7, 'rollingBack', 'DELETE_IN_PROGRESS')], STACK);
    assert.equal(map.Table?.settledAt, undefined);
    assert.equal(map.Table?.startedAt, '2026-11-22T10:00:01.000Z');
    map = applyEvents(map, [ev(8, 'rolledBack', 'DELETE_COMPLETE'), ev(9, 'rolledBack', 'DELETE_COMPLETE')], STACK);
    assert.equal(map.Table?.settledAt, '2026-11-22T10:00:08.000Z', 'the first time it reached the outcome');
  });

  it('a row first seen rolling back has no start time', () => {
    const map = applyEvents({}, [ev(3, 'rollingBack', 'DELETE_IN_PROGRESS')], STACK);
    assert.equal(map.Table?.startedAt, undefined);
  });

  it('stabilizing while the newest event says so and it is still in progress', () => {
    let map = applyEvents({}, [ev(1, 'inProgress', 'CREATE_IN_PROGRESS'), ev(3, 'inProgress', 'CREATE_IN_PROGRESS', { stabilizing: true })], STACK);
    assert.equal(map.Table?.stabilizing, true);
    map = applyEvents(map, [ev(6, 'succeeded', 'CREATE_COMPLETE', { stabilizing: true })], STACK);
    assert.equal(map.Table?.stabilizing, undefined, 'settled is not stabilizing');
    map = applyEvents({}, [ev(3, 'inProgress', 'CREATE_IN_PROGRESS', { stabilizing: true }), ev(4, 'inProgress', 'CREATE_IN_PROGRESS')], STACK);
    assert.equal(map.Table?.stabilizing, undefined, 'only the newest event counts');
  });

  it("carries the operation, and a failure's hook, request ID and property while its status stays", () => {
    const hook = { type: 'Private::Guard::Tags', status: 'HOOK_COMPLETE_FAILED' };
    let map = applyEvents(
      {},
      [
        ev(1, 'inProgress', 'CREATE_IN_PROGRESS', { operationId: 'op-1', operationType: 'CREATE_STACK' }),
        ev(2, 'failed', 'CREATE_FAILED', { hook, requestId: 'r-1', propertyPath: 'Properties.Tags' }),
        ev(3, 'failed', 'CREATE_FAILED'),
      ],
      STACK,
    );
    assert.equal(map.Table?.operationId, 'op-1');
    assert.equal(map.Table?.operationType, 'CREATE_STACK');
    assert.deepEqual(map.Table?.hook, hook);
    assert.equal(map.Table?.requestId, 'r-1');
    assert.equal(map.Table?.propertyPath, 'Properties.Tags');
    map = applyEvents(map, [ev(4, 'rollingBack', 'DELETE_IN_PROGRESS', { operationId: 'op-2', operationType: 'ROLLBACK' })], STACK);
    assert.equal(map.Table?.hook, undefined, 'the resource moved on');
    assert.equal(map.Table?.requestId, undefined);
    assert.equal(map.Table?.operationId, 'op-2');
  });
});

describe('failure details', () => {
  const failure: FailureReason = {
    logicalId: 'Table',
    resourceType: 'AWS::DynamoDB::Table',
    providerStatus: 'CREATE_FAILED',
    reason: 'CREATE_FAILED',
    timestamp: 't2',
  };

  it('enrich the failure of the same resource and status only, the one at the same time first', () => {
    const details = [
      ev(0, 'failed', 'UPDATE_FAILED', { requestId: 'other-status' }),
      { ...ev(0, 'failed', 'CREATE_FAILED', { requestId: 'other-resource' }), logicalId: 'Queue' },
      { ...ev(0, 'failed', 'CREATE_FAILED', { requestId: 'earlier', reason: 'Earlier reason' }), timestamp: 't1' },
      { ...ev(0, 'failed', 'CREATE_FAILED', { requestId: 'same-time', propertyPath: 'Properties.TableName' }), timestamp: 't2' },
    ];
    const enriched = enrichFailure(failure, details);
    assert.equal(enriched.requestId, 'same-time');
    assert.equal(enriched.propertyPath, 'Properties.TableName');
    assert.equal(enriched.reason, 'Earlier reason', 'a reason fills in where the stream had none');
  });

  it("never replaces the stream's own reason", () => {
    const enriched = enrichFailure({ ...failure, reason: 'Table already exists' }, [ev(0, 'failed', 'CREATE_FAILED', { reason: 'Something else' })]);
    assert.equal(enriched.reason, 'Table already exists');
  });

  it('the summary carries the fields the stream events themselves have', () => {
    const summary = failureSummaryOf({
      target: { name: STACK },
      events: [ev(1, 'failed', 'CREATE_FAILED', { reason: 'Denied', requestId: 'r-9', operationId: 'op-1' })],
    });
    assert.equal(summary.rootCause?.requestId, 'r-9');
    assert.equal(summary.rootCause?.operationId, 'op-1');
    assert.equal(summary.rootCause?.reason, 'Denied');
  });

  it('a detail read again replaces its older copy; the newest are kept', () => {
    const a = ev(1, 'failed', 'CREATE_FAILED', { requestId: 'old' });
    const b = { ...ev(2, 'failed', 'CREATE_FAILED'), logicalId: 'Queue' };
    const again = { ...a, requestId: 'new' };
    assert.deepEqual(mergeFailureDetails([a, b], [again], 10), [b, again]);
    assert.deepEqual(mergeFailureDetails([a, b], [again], 1), [again]);
    const kept = [a];
    assert.equal(mergeFailureDetails(kept, [], 10), kept, 'unchanged when none came');
  });

  it("a target's last failure reads as a failure, on the target when it is the target's own event", () => {
    const own = failureFromEvent({ ...ev(1, 'failed', 'ROLLBACK_COMPLETE', { reason: '  ' }), logicalId: STACK }, STACK);
    assert.equal(own.onTarget, true);
    assert.equal(own.reason, 'ROLLBACK_COMPLETE', 'a blank reason falls back on the status');
    const resource = failureFromEvent(ev(1, 'failed', 'CREATE_FAILED', { reason: 'Bad name', hook: { type: 'H', status: 'HOOK_FAILED' } }), STACK);
    assert.equal(resource.onTarget, undefined);
    assert.equal(resource.hook?.type, 'H');
  });
});
