import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyEvents, progressOf, summarizeFailures } from '../../src/deployment/resources';
import type { Change, DeploymentEvent } from '../../src/providers/provider';

const STACK = 'shop';
let n = 0;
function ev(logicalId: string, providerStatus: string, status: DeploymentEvent['status'], reason?: string): DeploymentEvent {
  n++;
  return {
    id: `e${n}`,
    timestamp: new Date(Date.UTC(2026, 10, 22, 10, 0, n)).toISOString(),
    logicalId,
    resourceType: logicalId === STACK ? 'AWS::CloudFormation::Stack' : 'AWS::SQS::Queue',
    providerStatus,
    status,
    reason,
    isCancellation: /cancelled$/.test(reason ?? ''),
  };
}

const changes: Change[] = ['Api', 'Queue', 'Table', 'Topic'].map((id) => ({ logicalId: id, action: 'Add', resourceType: 'AWS::X::Y' }));

describe('resources derived from events', () => {
  it('keeps the latest status per resource and ignores the stack itself', () => {
    const resources = applyEvents({}, [
      ev(STACK, 'CREATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev('Api', 'CREATE_IN_PROGRESS', 'inProgress'),
      ev('Queue', 'CREATE_IN_PROGRESS', 'inProgress'),
      ev('Api', 'CREATE_COMPLETE', 'succeeded'),
    ], STACK);
    assert.deepEqual(Object.keys(resources).sort(), ['Api', 'Queue']);
    assert.equal(resources.Api?.status, 'succeeded');
    assert.deepEqual(progressOf(changes, resources), { done: 1, total: 4, failed: 0, inProgress: 1 });
  });

  it('counts failures and cancellations as settled', () => {
    const resources = applyEvents({}, [
      ev('Api', 'CREATE_COMPLETE', 'succeeded'),
      ev('Queue', 'CREATE_FAILED', 'failed', 'Queue already exists'),
      ev('Table', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      ev('Topic', 'CREATE_IN_PROGRESS', 'inProgress'),
    ], STACK);
    assert.deepEqual(progressOf(changes, resources), { done: 3, total: 4, failed: 1, inProgress: 1 });
  });

  it('uses the resources seen when there is no change list (reattach)', () => {
    const resources = applyEvents({}, [ev('Api', 'UPDATE_COMPLETE', 'succeeded'), ev('Queue', 'UPDATE_IN_PROGRESS', 'inProgress')], STACK);
    assert.deepEqual(progressOf([], resources), { done: 1, total: 2, failed: 0, inProgress: 1 });
  });

  it('the root cause is the first real failure, not a cancellation and not the stack message', () => {
    const events = [
      ev('Table', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      ev('Queue', 'CREATE_FAILED', 'failed', 'Queue already exists'),
      ev('Topic', 'CREATE_FAILED', 'failed', 'Topic limit exceeded'),
      ev('Api', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      ev(STACK, 'ROLLBACK_IN_PROGRESS', 'failed', 'The following resource(s) failed to create: [Queue, Topic, Table, Api].'),
    ];
    const summary = summarizeFailures(events, STACK);
    assert.equal(summary.rootCause?.logicalId, 'Queue');
    assert.equal(summary.rootCause?.reason, 'Queue already exists');
    assert.deepEqual(summary.otherFailures.map((f) => f.logicalId), ['Topic']);
    assert.deepEqual(summary.cancellations.map((f) => f.logicalId), ['Table', 'Api']);
    assert.match(summary.targetReason ?? '', /failed to create/);
  });
});
