/**
 * Logs… and history group a deployment's events by the provider's operation: the update, then
 * the automatic rollback under a heading of its own; history keeps each operation's outcome
 * and failures with their request IDs and hooks, never a secret.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { historyEntry, historyMarkdown } from '../../src/app/history';
import { historyOperations, MAX_HISTORY_FAILURES, MAX_HISTORY_OPERATIONS } from '../../src/app/historyOperations';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import { followInLog } from '../../src/ui/deploymentLog';
import { eventLines } from '../../src/ui/eventLog';
import { groupByOperation, OperationHeadings } from '../../src/ui/operationGroups';
import type { DeploymentEvent } from '../../src/providers/provider';
import { event, finishedIn, withEvents } from '../support/uiSnapshots';

const UPDATE = '1a2b3c4d-0000-4000-8000-000000000001';
const ROLLBACK = '9f8e7d6c-0000-4000-8000-000000000002';

function inOperation(e: DeploymentEvent, operationId: string, operationType: string, extra: Partial<DeploymentEvent> = {}): DeploymentEvent {
  return { ...e, operationId, operationType, ...extra };
}

function failedUpdate(): DeploymentEvent[] {
  return [
    inOperation(event('demo-stack', 'UPDATE_IN_PROGRESS', 'inProgress', 'User Initiated'), UPDATE, 'UPDATE_STACK'),
    inOperation(event('Queue', 'UPDATE_FAILED', 'failed', 'Queue name taken'), UPDATE, 'UPDATE_STACK', {
      requestId: 'req-123',
      hook: { type: 'Private::Guard::Names', status: 'HOOK_COMPLETE_FAILED', reason: 'names must be unique' },
    }),
    inOperation(event('Bucket', 'UPDATE_FAILED', 'failed', 'Resource update cancelled'), UPDATE, 'UPDATE_STACK'),
    inOperation(
      event('demo-stack', 'UPDATE_ROLLBACK_IN_PROGRESS', 'rollingBack', 'The following resource(s) failed to update: [Queue].'),
      ROLLBACK,
      'ROLLBACK',
    ),
    inOperation(event('Queue', 'UPDATE_COMPLETE', 'rolledBack'), ROLLBACK, 'ROLLBACK'),
    inOperation(event('demo-stack', 'UPDATE_ROLLBACK_COMPLETE', 'rolledBack'), ROLLBACK, 'ROLLBACK'),
  ];
}

describe('events by operation: the log', () => {
  it('writes a heading before each operation, and names the automatic rollback', () => {
    const lines = eventLines('demo-stack', failedUpdate(), new OperationHeadings()).map((l) => l.text);
    const headings = lines.filter((l) => l.includes('── Operation'));
    assert.deepEqual(headings, [
      'demo-stack ── Operation 1a2b3c4d… (UPDATE_STACK) ──',
      'demo-stack ── Operation 9f8e7d6c… (ROLLBACK) — the automatic rollback ──',
    ]);
    // Each heading comes right before its operation's first event.
    assert.match(lines[1], /UPDATE_IN_PROGRESS/);
    assert.equal(lines.indexOf(headings[1]), 4);
    assert.match(
      lines[2],
      /Queue .*UPDATE_FAILED — Queue name taken \[hook Private::Guard::Names HOOK_COMPLETE_FAILED: names must be unique\] \(request ID req-123\)/,
    );
  });

  it('follows events as they arrive: a later batch of the same operation gets no new heading; a return to an earlier one says so', () => {
    const headings = new OperationHeadings();
    const [first, second, third, fourth] = failedUpdate();
    assert.equal(eventLines('s', [first, second], headings).length, 3);
    assert.equal(eventLines('s', [third], headings).length, 1);
    assert.equal(eventLines('s', [fourth], headings)[0].text, 's ── Operation 9f8e7d6c… (ROLLBACK) — the automatic rollback ──');
    assert.equal(eventLines('s', [second], headings)[0].text, 's ── Operation 1a2b3c4d… (UPDATE_STACK), continued ──');
  });

  it('events without an operation are written as before, with no heading', () => {
    const plain = [event('Queue', 'CREATE_IN_PROGRESS', 'inProgress')];
    assert.equal(eventLines('s', plain, new OperationHeadings()).length, 1);
    assert.deepEqual(groupByOperation(plain), []);
  });

  it("a rollback after the person's Stop is called that, in the log as it streams and in history, never the automatic rollback", () => {
    const stopped = failedUpdate().filter((e) => e.status !== 'failed');
    const [start] = stopped;
    let context = { ...finishedIn('rolledBack', false).context, ...withEvents([start]), stopRequested: false };
    const listeners: ((snapshot: DeploymentSnapshot) => void)[] = [];
    const session = {
      get snapshot(): DeploymentSnapshot {
        return { ...finishedIn('rolledBack', false), status: 'active', context } as DeploymentSnapshot;
      },
      onDidChange: (listener: (snapshot: DeploymentSnapshot) => void) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    const lines: string[] = [];
    followInLog(session, { info: (t: string) => lines.push(t), warn: (t: string) => lines.push(t), error: (t: string) => lines.push(t) });
    // The person presses Stop; then the rollback's events arrive.
    context = { ...context, ...withEvents(stopped), stopRequested: true };
    for (const listener of listeners) listener(session.snapshot);
    assert.deepEqual(
      lines.filter((l) => l.includes('── Operation')),
      ['demo-stack ── Operation 1a2b3c4d… (UPDATE_STACK) ──', 'demo-stack ── Operation 9f8e7d6c… (ROLLBACK) — rollback after Stop ──'],
    );

    const made = historyEntry(
      finishedIn('rolledBack', false, { ...withEvents(stopped), stopRequested: true }),
      '2026-11-22T10:00:00.000Z',
      '2026-11-22T10:01:00.000Z',
    );
    assert.ok(made);
    assert.deepEqual(
      made?.operations?.map((o) => [o.automaticRollback ?? false, o.rollbackAfterStop ?? false]),
      [
        [false, false],
        [false, true],
      ],
    );
    assert.match(historyMarkdown(made), /^### Operation 9f8e7d6c… \(ROLLBACK\) — rollback after Stop: UPDATE_ROLLBACK_COMPLETE$/m);
  });

  it('a rollback that is the first operation seen (a reattach, a person asking for it) is not called automatic', () => {
    const [group] = groupByOperation([inOperation(event('demo-stack', 'ROLLBACK_IN_PROGRESS', 'rollingBack'), ROLLBACK, 'ROLLBACK')]);
    assert.equal(group.automaticRollback, false);
  });
});

describe('events by operation: history', () => {
  it('records each operation with its outcome, root cause, request ID and hook, and no cancellations', () => {
    const operations = historyOperations(failedUpdate(), 'demo-stack');
    assert.deepEqual(
      operations.map((o) => [o.id, o.type, o.automaticRollback ?? false, o.outcome]),
      [
        [UPDATE, 'UPDATE_STACK', false, 'UPDATE_IN_PROGRESS'],
        [ROLLBACK, 'ROLLBACK', true, 'UPDATE_ROLLBACK_COMPLETE'],
      ],
    );
    assert.deepEqual(operations[0].failures, [
      {
        logicalId: 'Queue',
        providerStatus: 'UPDATE_FAILED',
        reason: 'Queue name taken',
        rootCause: true,
        requestId: 'req-123',
        hook: 'Private::Guard::Names (HOOK_COMPLETE_FAILED)',
      },
    ]);
    assert.deepEqual(operations[1].failures[0]?.logicalId, 'demo-stack', "the rollback's own reason is its failure");
  });

  it("takes the request ID and hook from the provider's failure read when the event stream lacks them", () => {
    const plain = failedUpdate().map((e) => ({ ...e, requestId: undefined, hook: undefined }));
    const queueFailure = plain[1];
    const details = [{ ...queueFailure, requestId: 'req-from-read', hook: { type: 'Private::Guard::Names', status: 'HOOK_COMPLETE_FAILED' } }];
    assert.equal(historyOperations(plain, 'demo-stack')[0].failures[0].requestId, undefined);
    const [update] = historyOperations(plain, 'demo-stack', details);
    assert.equal(update.failures[0].requestId, 'req-from-read');
    assert.equal(update.failures[0].hook, 'Private::Guard::Names (HOOK_COMPLETE_FAILED)');
  });

  it('is bounded in operations and failures', () => {
    const many: DeploymentEvent[] = [];
    for (let op = 0; op < MAX_HISTORY_OPERATIONS + 3; op++)
      for (let f = 0; f < MAX_HISTORY_FAILURES + 5; f++)
        many.push(inOperation(event(`R${f}`, 'CREATE_FAILED', 'failed', `bad ${f}`), `op-${op}`, 'CREATE_STACK'));
    const operations = historyOperations(many, 'demo-stack');
    assert.equal(operations.length, MAX_HISTORY_OPERATIONS);
    assert.equal(operations[0].id, 'op-3', 'the latest operations are kept');
    assert.ok(operations.every((o) => o.failures.length === MAX_HISTORY_FAILURES));
  });

  it('Show Last Deployment lists the operations, and a secret in a failure reason is masked in the stored entry', () => {
    const events = failedUpdate().map((e) => (e.logicalId === 'Queue' && e.status === 'failed' ? { ...e, reason: 'Password s3cr3t-pw rejected' } : e));
    const made = historyEntry(
      finishedIn('rolledBack', true, {
        ...withEvents(events),
        initialized: {
          template: { path: 't.yaml', body: '', format: 'yaml', sizeBytes: 0 },
          parameters: [{ key: 'Pw', value: 's3cr3t-pw', secret: true }],
          capabilities: [],
          warnings: [],
        },
      }),
      '2026-11-22T10:00:00.000Z',
      '2026-11-22T10:01:00.000Z',
    );
    assert.ok(made?.operations);
    assert.ok(!JSON.stringify(made).includes('s3cr3t-pw'));
    const markdown = historyMarkdown(made);
    assert.match(markdown, /^### Operation 1a2b3c4d… \(UPDATE_STACK\): UPDATE_IN_PROGRESS$/m);
    assert.match(markdown, /^### Operation 9f8e7d6c… \(ROLLBACK\) — the automatic rollback: UPDATE_ROLLBACK_COMPLETE$/m);
    assert.match(
      markdown,
      /\| \*\*root cause\*\* \| Queue \| UPDATE_FAILED \| Password \*+ rejected \| Private::Guard::Names \(HOOK_COMPLETE_FAILED\) \| req-123 \|/,
    );
  });
});
