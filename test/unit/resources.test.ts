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
    const resources = applyEvents(
      {},
      [
        ev(STACK, 'CREATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
        ev('Api', 'CREATE_IN_PROGRESS', 'inProgress'),
        ev('Queue', 'CREATE_IN_PROGRESS', 'inProgress'),
        ev('Api', 'CREATE_COMPLETE', 'succeeded'),
      ],
      STACK,
    );
    assert.deepEqual(Object.keys(resources).sort(), ['Api', 'Queue']);
    assert.equal(resources.Api?.status, 'succeeded');
    assert.deepEqual(progressOf(changes, resources), { done: 1, total: 4, failed: 0, inProgress: 1, rolledBack: 0, cancelled: 0 });
  });

  it('counts failures as done, and cancellations apart (a cancelled change was not made)', () => {
    const resources = applyEvents(
      {},
      [
        ev('Api', 'CREATE_COMPLETE', 'succeeded'),
        ev('Queue', 'CREATE_FAILED', 'failed', 'Queue already exists'),
        ev('Table', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
        ev('Topic', 'CREATE_IN_PROGRESS', 'inProgress'),
      ],
      STACK,
    );
    assert.deepEqual(progressOf(changes, resources), { done: 2, total: 4, failed: 1, inProgress: 1, rolledBack: 0, cancelled: 1 });
  });

  it('uses the resources seen when there is no change list (reattach)', () => {
    const resources = applyEvents({}, [ev('Api', 'UPDATE_COMPLETE', 'succeeded'), ev('Queue', 'UPDATE_IN_PROGRESS', 'inProgress')], STACK);
    assert.deepEqual(progressOf([], resources), { done: 1, total: 2, failed: 0, inProgress: 1, rolledBack: 0, cancelled: 0 });
  });

  it('a rollback is not counted as done', () => {
    const two = changes.slice(0, 2);
    const resources = applyEvents(
      {},
      [
        ev('Api', 'CREATE_COMPLETE', 'succeeded'),
        ev('Queue', 'CREATE_FAILED', 'failed', 'Queue already exists'),
        ev('Api', 'DELETE_IN_PROGRESS', 'rollingBack'),
        ev('Api', 'DELETE_COMPLETE', 'rolledBack'),
        ev('Queue', 'DELETE_COMPLETE', 'rolledBack'),
      ],
      STACK,
    );
    assert.deepEqual(progressOf(two, resources), { done: 0, total: 2, failed: 0, inProgress: 0, rolledBack: 2, cancelled: 0 });
  });

  it("a replacement's cleanup keeps the row succeeded, with the new physical ID, and progress never goes back", () => {
    const replaced: Change[] = [
      { logicalId: 'Bucket', action: 'Modify', resourceType: 'AWS::S3::Bucket', replacement: 'True' },
      { logicalId: 'Queue', action: 'Modify', resourceType: 'AWS::SQS::Queue' },
    ];
    const at = (e: DeploymentEvent, physicalId?: string, isCleanup?: true): DeploymentEvent => ({
      ...e,
      ...(physicalId ? { physicalId } : {}),
      ...(isCleanup ? { isCleanup } : {}),
    });
    // CloudFormation's order for a replacement, then the cleanup of the old copy.
    const sequence: DeploymentEvent[] = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      at(ev('Queue', 'UPDATE_IN_PROGRESS', 'inProgress'), 'queue-1'),
      at(
        ev('Bucket', 'UPDATE_IN_PROGRESS', 'inProgress', 'Requested update requires the creation of a new physical resource; hence creating one.'),
        'old-bucket',
      ),
      at(ev('Bucket', 'UPDATE_IN_PROGRESS', 'inProgress', 'Resource creation Initiated'), 'new-bucket'),
      at(ev('Queue', 'UPDATE_COMPLETE', 'succeeded'), 'queue-1'),
      at(ev('Bucket', 'UPDATE_COMPLETE', 'succeeded'), 'new-bucket'),
      ev(STACK, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'inProgress'),
      at(ev('Bucket', 'DELETE_IN_PROGRESS', 'inProgress'), 'old-bucket', true),
      at(ev('Bucket', 'DELETE_COMPLETE', 'succeeded'), 'old-bucket', true),
      ev(STACK, 'UPDATE_COMPLETE', 'succeeded'),
    ];
    let resources = {};
    let lastDone = 0;
    const seen: string[] = [];
    for (const event of sequence) {
      resources = applyEvents(resources, [event], STACK);
      const progress = progressOf(replaced, resources);
      assert.ok(progress.done >= lastDone, `progress went back at ${event.logicalId} ${event.providerStatus}: ${JSON.stringify(progress)}`);
      lastDone = progress.done;
      seen.push(`${progress.done}/${progress.inProgress}`);
    }
    const after = applyEvents({}, sequence, STACK);
    assert.equal(after.Bucket?.status, 'succeeded');
    assert.equal(after.Bucket?.physicalId, 'new-bucket', 'the row names the new copy, not the deleted one');
    assert.deepEqual(progressOf(replaced, after), { done: 2, total: 2, failed: 0, inProgress: 0, rolledBack: 0, cancelled: 0 });
    assert.deepEqual(seen.slice(-4), ['2/0', '2/0', '2/0', '2/0'], 'nothing spins again during the cleanup');
  });

  it('a resource removed from the template is deleted in the cleanup: those events are its progress', () => {
    const removed: Change[] = [{ logicalId: 'Old', action: 'Remove', resourceType: 'AWS::SQS::Queue' }];
    const resources = applyEvents({}, [{ ...ev('Old', 'DELETE_IN_PROGRESS', 'inProgress'), isCleanup: true }], STACK);
    assert.equal(progressOf(removed, resources).inProgress, 1);
    const done = applyEvents(resources, [{ ...ev('Old', 'DELETE_COMPLETE', 'succeeded'), isCleanup: true }], STACK);
    assert.equal(progressOf(removed, done).done, 1);
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
    assert.deepEqual(
      summary.otherFailures.map((f) => f.logicalId),
      ['Topic'],
    );
    assert.deepEqual(
      summary.cancellations.map((f) => f.logicalId),
      ['Table', 'Api'],
    );
    assert.match(summary.targetReason ?? '', /failed to create/);
  });
});

/**
 * Failures only the stack itself reports. Event sequences as CloudFormation writes them (oldest
 * first), with the neutral status the AWS adapter gives each: a stack event that starts a
 * rollback is 'rollingBack', a stack *_FAILED is 'failed'.
 */
describe('a failure with no failed resource', () => {
  it('parameter validation at execute (new stack): the stack reason is the root cause, without the misleading "Rollback requested by user."', () => {
    const events = [
      ev(STACK, 'CREATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev(
        STACK,
        'ROLLBACK_IN_PROGRESS',
        'rollingBack',
        'Parameter validation failed: parameter value sw-missing for parameter name KeyName does not exist. Rollback requested by user.',
      ),
      ev(STACK, 'ROLLBACK_COMPLETE', 'rolledBack'),
    ];
    const summary = summarizeFailures(events, STACK);
    assert.equal(summary.rootCause?.reason, 'Parameter validation failed: parameter value sw-missing for parameter name KeyName does not exist.');
    assert.equal(summary.rootCause?.logicalId, STACK);
    assert.equal(summary.rootCause?.providerStatus, 'ROLLBACK_IN_PROGRESS');
    assert.equal(summary.rootCause?.onTarget, true);
    assert.equal(summary.targetReason, summary.rootCause?.reason);
    assert.deepEqual([summary.otherFailures, summary.cancellations], [[], []]);
  });

  it('a missing Fn::ImportValue export on update: "No export named … found." is the root cause', () => {
    const events = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev(STACK, 'UPDATE_ROLLBACK_IN_PROGRESS', 'rollingBack', 'No export named shared-vpc-id found. Rollback requested by user.'),
      ev(STACK, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'rollingBack'),
      ev(STACK, 'UPDATE_ROLLBACK_COMPLETE', 'rolledBack'),
    ];
    const summary = summarizeFailures(events, STACK);
    assert.equal(summary.rootCause?.reason, 'No export named shared-vpc-id found.');
    assert.equal(summary.rootCause?.providerStatus, 'UPDATE_ROLLBACK_IN_PROGRESS');
  });

  it('an update rollback reason without the boilerplate is kept whole', () => {
    const events = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev(STACK, 'UPDATE_ROLLBACK_IN_PROGRESS', 'rollingBack', 'No export named shared-vpc-id found'),
      ev(STACK, 'UPDATE_ROLLBACK_COMPLETE', 'rolledBack'),
    ];
    assert.equal(summarizeFailures(events, STACK).rootCause?.reason, 'No export named shared-vpc-id found');
  });

  it('a create timeout: every resource cancelled, the stack says why', () => {
    const events = [
      ev(STACK, 'CREATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev('Queue', 'CREATE_IN_PROGRESS', 'inProgress'),
      ev('Table', 'CREATE_IN_PROGRESS', 'inProgress'),
      ev('Queue', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      ev('Table', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      ev(STACK, 'ROLLBACK_IN_PROGRESS', 'rollingBack', 'Stack creation time exceeded the specified timeout. Rollback requested by user.'),
      ev('Queue', 'DELETE_COMPLETE', 'rolledBack'),
      ev('Table', 'DELETE_COMPLETE', 'rolledBack'),
      ev(STACK, 'ROLLBACK_COMPLETE', 'rolledBack'),
    ];
    const summary = summarizeFailures(events, STACK);
    assert.equal(summary.rootCause?.reason, 'Stack creation time exceeded the specified timeout.');
    assert.deepEqual(
      summary.cancellations.map((c) => c.logicalId),
      ['Queue', 'Table'],
    );
  });

  it('with rollback disabled, the stack *_FAILED reason is the root cause', () => {
    const events = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev(STACK, 'UPDATE_FAILED', 'failed', 'Parameter validation failed: parameter value ami-0000 for parameter name ImageId does not exist.'),
    ];
    const summary = summarizeFailures(events, STACK);
    assert.equal(summary.rootCause?.reason, 'Parameter validation failed: parameter value ami-0000 for parameter name ImageId does not exist.');
    assert.equal(summary.rootCause?.onTarget, true);
  });

  it('a failed resource stays the root cause; the stack summary only fills targetReason, stripped', () => {
    const events = [
      ev(STACK, 'CREATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev('Queue', 'CREATE_FAILED', 'failed', 'Queue already exists'),
      ev(STACK, 'ROLLBACK_IN_PROGRESS', 'rollingBack', 'The following resource(s) failed to create: [Queue]. Rollback requested by user.'),
      ev(STACK, 'ROLLBACK_COMPLETE', 'rolledBack'),
    ];
    const summary = summarizeFailures(events, STACK);
    assert.equal(summary.rootCause?.logicalId, 'Queue');
    assert.equal(summary.rootCause?.onTarget, undefined);
    assert.equal(summary.targetReason, 'The following resource(s) failed to create: [Queue].');
  });

  it('a clean cancel by a person (our Stop, or the console) is no failure: "User Initiated", every resource "cancelled"', () => {
    const events = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev('Queue', 'UPDATE_IN_PROGRESS', 'inProgress'),
      ev('Topic', 'UPDATE_IN_PROGRESS', 'inProgress'),
      ev(STACK, 'UPDATE_ROLLBACK_IN_PROGRESS', 'rollingBack', 'User Initiated'),
      ev('Queue', 'UPDATE_FAILED', 'cancelled', 'Resource update cancelled'),
      ev('Topic', 'UPDATE_FAILED', 'cancelled', 'Resource update cancelled'),
      ev('Queue', 'UPDATE_COMPLETE', 'rolledBack'),
      ev('Topic', 'UPDATE_COMPLETE', 'rolledBack'),
      ev(STACK, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'rollingBack'),
      ev(STACK, 'UPDATE_ROLLBACK_COMPLETE', 'rolledBack'),
    ];
    const summary = summarizeFailures(events, STACK);
    assert.equal(summary.rootCause, undefined);
    assert.equal(summary.targetReason, undefined);
    assert.deepEqual(
      summary.cancellations.map((c) => c.logicalId),
      ['Queue', 'Topic'],
    );
  });

  it('a rollback reason that is nothing but "Rollback requested by user." is a person\'s request, not a failure', () => {
    const events = [
      ev(STACK, 'UPDATE_IN_PROGRESS', 'inProgress', 'User Initiated'),
      ev(STACK, 'UPDATE_ROLLBACK_IN_PROGRESS', 'rollingBack', 'Rollback requested by user.'),
      ev(STACK, 'UPDATE_ROLLBACK_COMPLETE', 'rolledBack'),
    ];
    assert.equal(summarizeFailures(events, STACK).rootCause, undefined);
  });

  it('an Infrastructure Manager apply cancelled by a person is no failure; one that failed on its own says why', () => {
    const notApplied = {
      ...ev('google_storage_bucket.assets', 'NOT_APPLIED', 'cancelled', 'Not applied: the apply was cancelled (there is no rollback).'),
      isCancellation: true,
    };
    const cancelled = [
      notApplied,
      ev(
        STACK,
        'CANCELLED',
        'cancelled',
        'The apply was cancelled; resources applied before the cancel stay applied (Infrastructure Manager has no rollback).',
      ),
    ];
    assert.equal(summarizeFailures(cancelled, STACK).rootCause, undefined);
    const failed = [ev(STACK, 'FAILED', 'failed', 'Error: googleapi: Error 403: The billing account for the owning project is disabled in state absent.')];
    assert.match(summarizeFailures(failed, STACK).rootCause?.reason ?? '', /billing account .* is disabled/);
  });
});
