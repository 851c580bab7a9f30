import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { statusBarModel } from '../../src/ui/statusBarModel';
import { event, finishedIn, snapshotIn, withEvents } from '../support/uiSnapshots';

describe('status bar model', () => {
  it('offers Deploy Project when nothing is deploying', () => {
    const model = statusBarModel(undefined);
    assert.equal(model.command, 'stackwatch.deployProject');
    assert.equal(model.backgroundColor, undefined);
  });

  it('spins with N/M while monitoring, and the tooltip carries the stack state', () => {
    const model = statusBarModel(
      snapshotIn('monitoring', {
        ...withEvents([event('Bucket', 'CREATE_COMPLETE', 'succeeded'), event('Queue', 'CREATE_IN_PROGRESS', 'inProgress')]),
        providerStatus: 'CREATE_IN_PROGRESS',
      }),
    );
    assert.equal(model.text, '$(sync~spin) demo-stack 1/2');
    assert.equal(model.command, 'stackwatch.showMonitor');
    assert.match(model.tooltip, /1\/2 done, 0 errors; stack state: CREATE_IN_PROGRESS/);
    assert.equal(model.backgroundColor, undefined);
  });

  it('shows retrying with a warning colour, never as a failure', () => {
    const base = snapshotIn('monitoring');
    const model = statusBarModel(
      snapshotIn('monitoring', {
        status: { ...base.context.status, activity: 'deploying', error: 'retrying' },
        retry: { attempt: 2, waitedMs: 3000, delayMs: 2000, lastError: { code: 'Throttling', message: 'Rate exceeded', retryable: true } },
      }),
    );
    assert.match(model.text, /retrying/);
    assert.equal(model.backgroundColor, 'statusBarItem.warningBackground');
    assert.match(model.tooltip, /Rate exceeded/);
  });

  it('asks for attention while changes wait for review or consent', () => {
    assert.match(statusBarModel(snapshotIn('reviewing')).text, /^\$\(checklist\) demo-stack: changes ready/);
    const consent = statusBarModel(snapshotIn('awaitingConsent'));
    assert.equal(consent.icon, 'warning');
    assert.equal(consent.backgroundColor, 'statusBarItem.warningBackground');
  });

  it('shows a check after success, without a coloured background', () => {
    const model = statusBarModel(finishedIn('succeeded', false));
    assert.equal(model.text, '$(check) demo-stack');
    assert.equal(model.backgroundColor, undefined);
    assert.equal(model.command, 'stackwatch.showMonitor');
  });

  it('shows the error background and the root cause on hover after a failed rollback', () => {
    const events = [
      event('Queue', 'CREATE_FAILED', 'failed', 'Queue name already exists'),
      event('Bucket', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
    ];
    const model = statusBarModel(finishedIn('rolledBack', true, withEvents(events)));
    assert.equal(model.icon, 'error');
    assert.equal(model.backgroundColor, 'statusBarItem.errorBackground');
    assert.match(model.tooltip, /Queue: Queue name already exists/);
    assert.doesNotMatch(model.tooltip, /Resource creation cancelled/);
  });

  it("the root cause on hover takes the failure read's reason where the event stream had none", () => {
    const failed = event('Queue', 'CREATE_FAILED', 'failed');
    const detail = { ...failed, reason: 'The hook Private::Guard::Names failed the create' };
    const model = statusBarModel(finishedIn('rolledBack', true, { ...withEvents([failed]), failureDetails: [detail] }));
    assert.match(model.tooltip, /Queue: The hook Private::Guard::Names failed the create/);
  });

  it('counts the resource that failed as an error even after the rollback removed it', () => {
    const events = [
      event('Queue', 'CREATE_FAILED', 'failed', 'Queue name already exists'),
      event('Bucket', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
      event('Queue', 'DELETE_COMPLETE', 'rolledBack'),
      event('Bucket', 'DELETE_COMPLETE', 'rolledBack'),
    ];
    const model = statusBarModel(finishedIn('rolledBack', true, { ...withEvents(events), providerStatus: 'ROLLBACK_COMPLETE' }));
    assert.match(model.tooltip, /0\/2 done, 2 rolled back, 1 error; stack state: ROLLBACK_COMPLETE/, 'a rollback is not "2/2 done"');
  });

  it('after an abort (nothing executed), no "0/N done"', () => {
    const model = statusBarModel(finishedIn('aborted', false, { providerStatus: 'REVIEW_IN_PROGRESS' }));
    assert.doesNotMatch(model.tooltip, /done/);
    assert.match(model.tooltip, /stack state: REVIEW_IN_PROGRESS/);
  });

  it('a rollback the user asked for (Stop) is not shown as a failure', () => {
    const model = statusBarModel(finishedIn('rolledBack', false, { stopRequested: true }));
    assert.equal(model.icon, 'discard');
    assert.equal(model.backgroundColor, undefined);
  });
});
