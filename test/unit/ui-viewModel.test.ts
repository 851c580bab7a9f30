/** The monitor's view model, from real snapshots of a real deployment actor, and its deltas. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SimulatedClock, createActor } from 'xstate';
import { createDeploymentMachine, type DeploymentActor } from '../../src/deployment/machine';
import { providerActors } from '../../src/deployment/providerActors';
import type { DescribeTargetResult } from '../../src/providers/provider';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { vocabularyOf } from '../../src/ui/vocabulary';
import { SENSITIVE_MASK, toViewModel } from '../../src/ui/viewModel';
import { applyDelta, diffViewModel } from '../../src/shared/viewModelDelta';
import { InputError } from '../../src/input/inputError';
import { CallGate, gatedProvider, gatedWorkspace } from '../support/gatedProvider';
import { INITIALIZED, OUTPUTS, ROOT_CAUSE, deploymentInput, described, errors, executed, polls, staged, stagedResults } from '../support/deploymentFixtures';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function start(autoExecute = false) {
  const gate = new CallGate();
  const clock = new SimulatedClock();
  const machine = createDeploymentMachine({ random: () => 0.5 }).provide({ actors: providerActors(gatedProvider(gate), gatedWorkspace(gate)) });
  const actor: DeploymentActor = createActor(machine, { input: deploymentInput({ autoExecute }), clock });
  actor.start();
  const answer = async (name: string, value?: unknown) => {
    (await gate.next(name)).resolve(value);
    await tick();
  };
  const fail = async (name: string, error: unknown) => {
    (await gate.next(name)).reject(error);
    await tick();
  };
  const wait = async () => {
    // Past any poll wait, short of the read deadline (which would abandon the next call).
    clock.increment(20_000);
    await tick();
  };
  return { actor, answer, fail, wait };
}

async function toReview(d: ReturnType<typeof start>, target: DescribeTargetResult = described.missing) {
  await d.answer('preflight');
  await d.answer('initialize', INITIALIZED);
  await d.answer('describeTarget', target);
  await d.answer('stage', staged);
  await d.wait();
  await d.answer('describeStaged', stagedResults.ready);
}

describe('monitor view model', () => {
  it('review: the change list, Execute / Abort / Save Template, no Stop', async () => {
    const d = start();
    await toReview(d);
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.phase, 'review');
    assert.deepEqual(
      model.changes.map((c) => [c.logicalId, c.status]),
      [
        ['Bucket', 'pending'],
        ['Queue', 'pending'],
      ],
    );
    assert.deepEqual(
      { ...model.controls, stop: model.controls.stop.visible },
      {
        execute: true,
        abort: true,
        saveTemplate: true,
        logs: true,
        stop: false,
        done: false,
        watchOther: false,
        checkAgain: false,
        dismiss: false,
        compare: false,
        deployAgain: false,
      },
    );
    assert.equal(model.statusLine, '', 'nothing runs before Execute: no "0/2 done"');
    assert.equal(model.progress.total, 0);
    d.actor.stop();
  });

  it('monitoring a create: Stop is shown but disabled, with the reason', async () => {
    const d = start();
    await toReview(d);
    d.actor.send({ type: 'EXECUTE' });
    await tick();
    await d.answer('execute', executed);
    await d.answer('poll', polls.inProgress);
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.phase, 'monitoring');
    assert.equal(model.controls.stop.visible, true);
    assert.equal(model.controls.stop.enabled, false);
    assert.match(model.controls.stop.reason ?? '', /cannot cancel a stack creation/);
    assert.equal(model.changes.find((c) => c.logicalId === 'Bucket')?.status, 'inProgress');
    assert.equal(model.statusLine, '0/2 done, 0 errors; stack state: CREATE_IN_PROGRESS');
    d.actor.stop();
  });

  it('monitoring an update: Stop is enabled; during the rollback it is not', async () => {
    const d = start();
    await toReview(d, described.ready);
    d.actor.send({ type: 'EXECUTE' });
    await tick();
    await d.answer('execute', { operation: { ...executed.operation, kind: 'update' } });
    await d.answer('poll', { ...polls.inProgress, providerStatus: 'UPDATE_IN_PROGRESS' });
    assert.equal(toViewModel(d.actor.getSnapshot()).controls.stop.enabled, true);
    await d.wait();
    await d.answer('poll', polls.rollingBack);
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.controls.stop.enabled, false);
    assert.match(model.controls.stop.reason ?? '', /rolling back/);
    const queue = model.changes.find((c) => c.logicalId === 'Queue');
    assert.equal(queue?.status, 'failed');
    assert.equal(queue?.reason, ROOT_CAUSE, 'the reason shown on hover');
    assert.equal(model.changes.find((c) => c.logicalId === 'Bucket')?.status, 'cancelled');
    d.actor.stop();
  });

  it('final: outputs, Done, and the root cause before the cancellations', async () => {
    const d = start(true);
    await toReview(d);
    await d.answer('execute', executed);
    await d.answer('poll', polls.rollingBack);
    await d.wait();
    await d.answer('poll', polls.rolledBack);
    // Every end removes what the deployment staged before it is final.
    await d.answer('abortStaged');
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.phase, 'final');
    assert.equal(model.final, 'rolledBack');
    assert.equal(model.shown, 'failed');
    assert.equal(model.controls.done, true);
    assert.equal(model.failures.rootCause?.reason, ROOT_CAUSE);
    assert.deepEqual(
      model.failures.cancellations.map((c) => c.logicalId),
      ['Bucket'],
    );
    // Rolled back, the rows still say what happened to them, with the reason on hover.
    assert.deepEqual(
      model.changes.map((c) => [c.logicalId, c.status, c.reason]),
      [
        ['Bucket', 'cancelled', 'Resource creation cancelled'],
        ['Queue', 'failed', ROOT_CAUSE],
      ],
    );
    assert.equal(model.statusLine, '1/2 done, 1 rolled back, 1 error; stack state: ROLLBACK_COMPLETE', 'a rollback is not "2/2 done"');
    // The error restates the root cause: the model says the failure list tells it, so it is shown once.
    assert.equal(model.error?.fromRootCause, true);
    assert.equal(model.error?.toldIn, 'failures');
    d.actor.stop();

    const ok = start(true);
    await toReview(ok);
    await ok.answer('execute', executed);
    await ok.answer('poll', polls.succeeded);
    await ok.answer('outputs', OUTPUTS);
    await ok.answer('abortStaged');
    const success = toViewModel(ok.actor.getSnapshot());
    assert.equal(success.final, 'succeeded');
    assert.deepEqual(success.outputs, OUTPUTS);
    ok.actor.stop();

    const secret = start(true);
    await toReview(secret);
    await secret.answer('execute', executed);
    await secret.answer('poll', polls.succeeded);
    await secret.answer('outputs', [...OUTPUTS, { key: 'DbPassword', value: 'hunter2-hunter2', sensitive: true }]);
    const masked = toViewModel(secret.actor.getSnapshot());
    assert.equal(masked.outputs.find((o) => o.key === 'DbPassword')?.value, SENSITIVE_MASK, 'a sensitive value never reaches the webview');
    assert.ok(!JSON.stringify(masked).includes('hunter2'));
    secret.actor.stop();
  });

  it('consent: the stack status, the reason and the legal actions', async () => {
    const d = start();
    await d.answer('preflight');
    await d.answer('initialize', INITIALIZED);
    await d.answer('describeTarget', described.unrecoverable);
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.phase, 'consent');
    assert.equal(model.consent?.stackStatus, 'ROLLBACK_COMPLETE');
    assert.match(model.consent?.reason ?? '', /failed to create/);
    assert.deepEqual(
      model.consent?.actions.map((a) => a.id),
      ['delete'],
    );
    d.actor.stop();
  });

  it("lost contact: the error is the panel's reason, and the model says the panel tells it", async () => {
    const d = start(true);
    await toReview(d);
    await d.answer('execute', executed);
    await d.fail('poll', errors.credentials());
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.phase, 'lostContact');
    assert.equal(model.lostContact?.reason, model.error?.message);
    assert.equal(model.error?.toldIn, 'lostContact');
    d.actor.stop();
  });

  it('bad input is told by the error banner alone, with its code and place', async () => {
    const d = start();
    await d.answer('preflight');
    await d.fail('initialize', new InputError('Unresolved reference Nope', { file: '/w/template.yaml', line: 4 }));
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.final, 'failed');
    assert.equal(model.error?.code, 'Template');
    assert.equal(model.error?.line, 4);
    assert.equal(model.error?.toldIn, undefined, 'nothing else on the page says it');
    d.actor.stop();
  });

  it('retrying: a banner that says what happened and when the next try is', async () => {
    const d = start();
    await d.answer('preflight');
    await d.fail('initialize', errors.throttled());
    const snapshot = d.actor.getSnapshot();
    const model = toViewModel(snapshot, 1_000_000);
    assert.equal(model.shown, 'retrying');
    assert.equal(model.retry?.message, 'Rate exceeded', "the provider's own words, for the banner's sentence");
    assert.equal(model.retry?.retryAt, 1_000_000 + snapshot.context.retry.delayMs);
    d.actor.stop();
  });
});

describe('view model deltas', () => {
  it('carry only what changed, and applying them gives the next model exactly', async () => {
    const d = start();
    await toReview(d, described.ready);
    d.actor.send({ type: 'EXECUTE' });
    await tick();
    await d.answer('execute', { operation: { ...executed.operation, kind: 'update' } });
    const before = toViewModel(d.actor.getSnapshot());
    await d.answer('poll', { ...polls.inProgress, providerStatus: 'UPDATE_IN_PROGRESS' });
    const after = toViewModel(d.actor.getSnapshot());
    const delta = diffViewModel(before, after);
    assert.ok(delta);
    assert.deepEqual(
      delta.rows.map((r) => r.logicalId),
      ['Bucket'],
      'only the row that changed',
    );
    assert.equal(delta.order, undefined, 'same rows in the same order');
    assert.ok(!('stackName' in delta.fields), 'unchanged fields are not sent');
    assert.deepEqual(applyDelta(before, delta), after);
    assert.equal(diffViewModel(after, after), undefined);
    d.actor.stop();
  });

  it('clear fields that went away (a retry banner) and carry a new row order', () => {
    const base: MonitorViewModel = {
      deploymentId: 'd',
      stackName: 's',
      provider: 'aws' as const,
      words: vocabularyOf('aws'),
      phase: 'monitoring' as const,
      activity: 'deploying' as const,
      shown: 'retrying' as const,
      statusLine: '',
      progress: { done: 0, total: 1, failed: 0 },
      changes: [{ logicalId: 'A', action: 'Add' as const, resourceType: 'T', status: 'pending' as const }],
      controls: {
        execute: false,
        abort: false,
        saveTemplate: true,
        logs: true,
        stop: { visible: true, enabled: true, label: 'Stop' },
        done: false,
        watchOther: false,
        checkAgain: false,
        dismiss: false,
        compare: false,
        deployAgain: false,
      },
      autoExecute: false,
      retry: { message: 'Throttled', retryAt: 5, attempt: 1 },
      outputs: [],
      failures: { otherFailures: [], cancellations: [] },
      notices: [],
      warnings: [],
      findings: [],
    };
    const next: MonitorViewModel = {
      ...base,
      shown: 'deploying',
      changes: [{ logicalId: 'B', action: 'Add', resourceType: 'T', status: 'pending' }, ...base.changes],
    };
    delete next.retry;
    const delta = diffViewModel(base, next);
    assert.equal(delta?.fields.retry, null);
    assert.deepEqual(delta?.order, ['B', 'A']);
    assert.ok(delta);
    assert.deepEqual(applyDelta(base, delta), next);
  });
});
