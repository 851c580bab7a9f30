/**
 * The background check (a linter) beside staging: the stage call goes out while it runs; its
 * error blocks every execute (auto-execute's and the person's) and removes what was staged, after
 * a stage in flight answered; Execute pressed while it runs waits for it, once; one that cannot
 * run never blocks; Abort stops it; a reload runs it again and never executes unchecked.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { AbortStagedRequest } from '../../src/providers/provider';
import type { CheckInput, DeploymentInput, InitializedDeployment } from '../../src/deployment/machine';
import { DeploymentSession } from '../../src/deployment/session';
import { InputError } from '../../src/input/inputError';
import { toViewModel } from '../../src/ui/viewModel';
import { INITIALIZED, TARGET, deploymentInput, described, executed, staged, stagedResults } from '../support/deploymentFixtures';
import { CallGate, answerCall, failCall, settle, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { gatedSessionOptions, startGatedSession } from '../support/gatedSession';

const CHECKED: InitializedDeployment = { ...INITIALIZED, check: { label: 'Checking with the linter' } };
const lintError = () => new InputError('E3002 Bad property', { file: '/ws/template.yaml', displayFile: 'template.yaml', line: 6, column: 7 });
const PASSED = { outcome: 'passed', warnings: ['template.yaml:3: W1 a warning'], note: '1 warning' } as const;

function start(input: Partial<DeploymentInput> = {}): GatedDeployment {
  return startGatedDeployment(deploymentInput(input));
}

/** Preflight and initialize answered with a check announced; the check and describeTarget are pending. */
async function initialized(d: GatedDeployment, init: InitializedDeployment = CHECKED): Promise<void> {
  await answerCall(d.gate, 'preflight');
  await answerCall(d.gate, 'initialize', init);
}

/** Through staging to the read of the staged changes, the check still unanswered. */
async function staged_(d: GatedDeployment): Promise<void> {
  await answerCall(d.gate, 'describeTarget', described.missing);
  await answerCall(d.gate, 'stage', staged);
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', stagedResults.ready);
}

describe('the background check beside staging', () => {
  it('is spawned with what staging submits, and the stage call goes out while it runs', async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    assert.deepEqual((check.request as CheckInput).template, CHECKED.template);
    await answerCall(d.gate, 'describeTarget', described.missing);
    await d.gate.next('stage');
    assert.equal(d.actor.getSnapshot().context.check?.state, 'running');
    assert.ok(d.gate.log.indexOf('stage') > d.gate.log.indexOf('check'));
    d.actor.stop();
  });

  it('an error found during the review removes the staged changes and ends failed with it, at its line', async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    assert.equal(d.actor.getSnapshot().value, 'reviewing');
    check.reject(lintError());
    await settle();
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.stagedId, staged.stagedId);
    assert.equal(cleanup.removeCreatedTarget, true, 'the empty target the create made goes too');
    const end = d.actor.getSnapshot();
    assert.equal(end.value, 'failed');
    assert.equal(end.context.error?.code, 'Template');
    assert.equal(end.context.error?.line, 6);
    assert.equal(end.context.error?.file, '/ws/template.yaml');
    assert.ok(!d.gate.log.includes('execute'));
  });

  it('an error while the stage call is in flight waits for its answer, then removes what it staged', async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    await answerCall(d.gate, 'describeTarget', described.missing);
    const stage = await d.gate.next('stage');
    check.reject(lintError());
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { staging: 'creating' }, 'the stage call is not abandoned');
    assert.equal(stage.signal.aborted, false);
    stage.resolve(staged);
    await settle();
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.stagedId, staged.stagedId);
    assert.equal(d.actor.getSnapshot().value, 'failed');
    assert.equal(d.actor.getSnapshot().context.error?.line, 6);
  });

  it('an error while the target is read ends it at once: nothing is staged', async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    const describe = await d.gate.next('describeTarget');
    check.reject(lintError());
    await settle();
    assert.equal(describe.signal.aborted, true);
    assert.equal(d.actor.getSnapshot().value, 'failed');
    assert.ok(!d.gate.log.includes('stage'));
  });

  it('auto-execute waits in the review for the check, then executes once it passes', async () => {
    const d = start({ autoExecute: true });
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    const waiting = d.actor.getSnapshot();
    assert.equal(waiting.value, 'reviewing');
    assert.equal(waiting.context.executeRequested, true);
    assert.ok(!d.gate.log.includes('execute'));
    assert.equal(toViewModel(waiting).steps?.find((step) => step.id === 'lint')?.note, 'Execute waits for it');
    check.resolve(PASSED);
    await settle();
    await answerCall(d.gate, 'execute', executed);
    assert.ok(d.actor.getSnapshot().matches('monitoring'));
    assert.ok(d.actor.getSnapshot().context.initialized?.warnings.includes('template.yaml:3: W1 a warning'));
    d.actor.stop();
  });

  it('auto-execute never runs when the check then fails', async () => {
    const d = start({ autoExecute: true });
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    check.reject(lintError());
    await settle();
    await answerCall(d.gate, 'abortStaged', {});
    assert.equal(d.actor.getSnapshot().value, 'failed');
    assert.ok(!d.gate.log.includes('execute'));
  });

  it('auto-execute turned off while the check runs withdraws its request: the changes wait for the person', async () => {
    const d = start({ autoExecute: true });
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    assert.equal(d.actor.getSnapshot().context.executeRequested, true);
    d.actor.send({ type: 'SET_AUTO_EXECUTE', value: false });
    check.resolve(PASSED);
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'reviewing');
    assert.ok(!d.gate.log.includes('execute'), 'nothing executed after auto-execute was turned off');
    // The person's own Execute still works, once.
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    await settle();
    assert.equal(d.gate.log.filter((name) => name === 'execute').length, 1);
    d.actor.stop();
  });

  it("the person's Execute survives auto-execute being turned off while the check runs", async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    d.actor.send({ type: 'EXECUTE' });
    d.actor.send({ type: 'SET_AUTO_EXECUTE', value: false });
    check.resolve(PASSED);
    await settle();
    await answerCall(d.gate, 'execute', executed);
    await settle();
    assert.equal(d.gate.log.filter((name) => name === 'execute').length, 1);
    assert.ok(d.actor.getSnapshot().matches('monitoring'));
    d.actor.stop();
  });

  it('Execute pressed (twice) while the check runs waits for it and executes once', async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    d.actor.send({ type: 'EXECUTE' });
    d.actor.send({ type: 'EXECUTE' });
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'reviewing');
    assert.equal(d.actor.getSnapshot().context.notices.filter((n) => n.includes('still running')).length, 1);
    check.resolve(PASSED);
    await settle();
    await answerCall(d.gate, 'execute', executed);
    await settle();
    assert.equal(d.gate.log.filter((name) => name === 'execute').length, 1);
    assert.ok(d.actor.getSnapshot().matches('monitoring'));
    d.actor.stop();
  });

  it('a check that cannot run never blocks: a notice, and the execute goes on', async () => {
    const d = start({ autoExecute: true });
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    check.reject(new Error('spawn EACCES'));
    await settle();
    await answerCall(d.gate, 'execute', executed);
    const snapshot = d.actor.getSnapshot();
    assert.equal(snapshot.context.check?.state, 'unavailable');
    assert.ok(snapshot.context.notices.some((n) => n.includes('could not run') && n.includes('spawn EACCES')));
    d.actor.stop();
  });

  it('a skipped check spawns nothing and holds nothing up', async () => {
    const d = start({ autoExecute: true });
    await initialized(d, { ...INITIALIZED, check: { label: 'Checking with the linter', skipped: 'turned off' } });
    await staged_(d);
    await answerCall(d.gate, 'execute', executed);
    assert.ok(!d.gate.log.includes('check'));
    assert.equal(d.actor.getSnapshot().context.check?.state, 'skipped');
    d.actor.stop();
  });

  it('Abort while the check runs stops it (its signal) and removes what was staged', async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    d.actor.send({ type: 'ABORT' });
    await settle();
    assert.equal(check.signal.aborted, true, 'the check is stopped');
    await answerCall(d.gate, 'abortStaged', {});
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    assert.equal(d.actor.getSnapshot().context.check?.state, 'skipped');
  });

  it('the step list shows each step with its times', async () => {
    const d = start();
    await initialized(d);
    const check = await d.gate.next('check');
    await staged_(d);
    check.resolve(PASSED);
    await settle();
    const steps = toViewModel(d.actor.getSnapshot()).steps ?? [];
    assert.deepEqual(
      steps.map((step) => [step.id, step.state, step.note]),
      [
        ['template', 'done', undefined],
        ['lint', 'done', '1 warning'],
        ['target', 'done', undefined],
        ['stage', 'done', undefined],
      ],
    );
    for (const step of steps) assert.ok(step.startedAt !== undefined && step.endedAt !== undefined && step.endedAt >= step.startedAt, step.id);
    assert.equal(steps[3].label, 'Creating the change set');
    d.actor.stop();
  });
});

describe('the background check across a window reload', () => {
  it('is not stored; a restore runs it again, and an Execute that waited still waits for it', async () => {
    const { session, store, gate, clock } = startGatedSession(deploymentInput());
    await answerCall(gate, 'preflight');
    await answerCall(gate, 'initialize', CHECKED);
    const first = await gate.next('check');
    await answerCall(gate, 'describeTarget', described.missing);
    await answerCall(gate, 'stage', staged);
    clock.increment(500);
    await settle();
    await answerCall(gate, 'describeStaged', stagedResults.ready);
    session.send({ type: 'EXECUTE' });
    await settle();
    await session.flush();
    const saved = JSON.stringify(await store.load([...store.data.keys()][0]));
    assert.ok(!saved.includes('"check":{"snapshot"'), 'the running check is not persisted');
    session.dispose();
    assert.equal(first.signal.aborted, true);

    const again = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, gatedSessionOptions(again, store));
    assert.ok(resumed);
    const rerun = await again.next('check');
    assert.equal((rerun.request as CheckInput).template.body, CHECKED.template.body);
    assert.equal(resumed.snapshot.value, 'reviewing');
    assert.ok(!again.log.includes('execute'));
    rerun.reject(lintError());
    await settle();
    await answerCall(again, 'abortStaged', {});
    assert.equal(resumed.snapshot.value, 'failed');
    assert.ok(!again.log.includes('execute'), 'never executed unchecked');
    resumed.dispose();
  });

  it('a snapshot saved before the check existed resumes, and Execute runs at once', async () => {
    const { session, store, gate, clock } = startGatedSession(deploymentInput());
    await answerCall(gate, 'preflight');
    await answerCall(gate, 'initialize', INITIALIZED);
    await answerCall(gate, 'describeTarget', described.missing);
    await answerCall(gate, 'stage', staged);
    clock.increment(500);
    await settle();
    await answerCall(gate, 'describeStaged', stagedResults.ready);
    await session.flush();
    session.dispose();
    // Older versions wrote none of the new fields.
    const key = [...store.data.keys()][0];
    const stored = JSON.parse(store.data.get(key) ?? '{}') as { snapshot: { context: Record<string, unknown> } };
    for (const field of ['check', 'executeRequested', 'readiness']) delete stored.snapshot.context[field];
    store.data.set(key, JSON.stringify(stored));

    const again = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, gatedSessionOptions(again, store));
    assert.ok(resumed);
    assert.equal(resumed.snapshot.value, 'reviewing');
    assert.equal(toViewModel(resumed.snapshot).steps, undefined);
    resumed.send({ type: 'EXECUTE' });
    await answerCall(again, 'execute', executed);
    assert.ok(resumed.snapshot.matches('monitoring'));
    assert.ok(!again.log.includes('check'));
    resumed.dispose();
  });

  it('a failed run of the check is told by failCall as well (a rejection that is no bad input never blocks)', async () => {
    const d = start();
    await initialized(d);
    await failCall(d.gate, 'check', new Error('exit 139'));
    assert.equal(d.actor.getSnapshot().context.check?.state, 'unavailable');
    d.actor.stop();
  });
});
