/**
 * Fault matrix, CloudFormation: lost responses, statuses we don't know, expired credentials,
 * another client's operations, and Abort / Stop while a call is in flight. The truth is cfn-sim's
 * own state and call log; the other client's requests go straight to the engine, so they are
 * never counted as ours.
 */
import { describe, it } from 'node:test';
import { Findings, checkAws, describeEnd, seedStack, stackView, startAws, until, waitForEnd, waitForState, type AwsRig } from '../support/faultHarness';
import { TOPIC } from './templates';
import { finishAws, useAwsRig } from '../support/awsFaultSuite';

describe('fault matrix: AWS lost answers, unknown statuses and other clients', () => {
  let rig: AwsRig;
  useAwsRig((started) => (rig = started));

  /** Loses the first answer to `action` on its way back, deploys a new stack, and expects a clean create. */
  async function lostAnswer(action: string, stackName: string): Promise<void> {
    rig.proxy.add({ match: { action }, fault: { kind: 'lostResponse' } });
    const run = startAws(rig, stackName, TOPIC());
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 });
  }

  it('lost ExecuteChangeSet response: executed exactly once, the truth (succeeded)', () => lostAnswer('ExecuteChangeSet', 'lost-execute'));
  it('lost CreateChangeSet response: the same name is adopted, no orphan change set', () => lostAnswer('CreateChangeSet', 'lost-create'));

  it('lost CreateChangeSet response, then Abort: no change set and no REVIEW_IN_PROGRESS stack', async () => {
    const stackName = 'lost-create-abort';
    rig.proxy.add({ match: { action: 'CreateChangeSet' }, fault: { kind: 'lostResponse' } });
    const run = startAws(rig, stackName, TOPIC());
    await rig.proxy.waitForFault({ kind: 'lostResponse', action: 'CreateChangeSet' });
    run.rec.session.send({ type: 'ABORT' });
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'aborted', stackStatus: undefined, executions: 0 });
  });

  /** Rewrites the stack's status in every read for a while; the deployment must wait for the real one. */
  async function unknownStatus(stackName: string, to: string): Promise<void> {
    const run = startAws(rig, stackName, TOPIC({ seconds: 6 }));
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: { action: 'DescribeStackEvents' }, fault: { kind: 'rewrite', from: '>CREATE_COMPLETE<', to: `>${to}<` }, times: 4 });
    rig.proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'rewrite', from: '>CREATE_COMPLETE<', to: `>${to}<` }, times: 4 });
    await waitForEnd(run.rec);
    const findings = new Findings();
    findings.check(
      rig.proxy.log.some((e) => e.fault === 'rewrite'),
      'no read carried the unknown status',
    );
    finishAws(
      rig,
      run,
      { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 },
      findings,
      `provider status seen: ${run.rec.snapshot.context.providerStatus ?? '-'}`,
    );
  }

  it('unknown terminal-looking stack status (rewrite): never decides; the real status does', () => unknownStatus('unknown-status', 'CREATE_REIMAGINED'));
  it('unknown *_IN_PROGRESS stack status (rewrite): keeps monitoring; the real status decides', () =>
    unknownStatus('unknown-progress', 'CREATE_RECONSIDER_IN_PROGRESS'));

  it('expired credentials mid-monitor: lost contact (not failed); dismissed, it ends unknown', async () => {
    const stackName = 'expired-dismiss';
    const run = startAws(rig, stackName, TOPIC({ seconds: 6 }));
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: {}, fault: { kind: 'expiredCredentials' }, times: Infinity });
    const lost = await waitForState(run.rec, 'lostContact').catch(() => undefined);
    const findings = new Findings();
    findings.check(lost?.context.status.error === 'lostContact', `status error ${lost?.context.status.error ?? 'never lost contact'}`);
    findings.check(!run.rec.everWas((e) => e.error === 'failed'), 'shown as failed');
    run.rec.session.send({ type: 'DISMISS' });
    await waitForEnd(run.rec);
    rig.proxy.reset();
    await until(() => stackView(rig, stackName)?.status === 'CREATE_COMPLETE', 'the stack to finish');
    finishAws(rig, run, { stackName, outcome: 'unknown', stackStatus: 'CREATE_COMPLETE', executions: 1 }, findings);
  });

  it('expired credentials mid-monitor, refreshed, Check again: the same deployment resumes (succeeded)', async () => {
    const stackName = 'expired-refresh';
    const run = startAws(rig, stackName, TOPIC({ seconds: 6 }));
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: {}, fault: { kind: 'expiredCredentials' }, times: Infinity });
    await waitForState(run.rec, 'lostContact');
    rig.proxy.reset(); // credentials refreshed
    run.rec.session.send({ type: 'CHECK_AGAIN' });
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 });
  });

  it("another client's update running when we deploy: asks; watched, ours deploys after theirs, theirs never reported as ours", async () => {
    const stackName = 'other-update';
    await seedStack(rig, stackName, TOPIC());
    rig.sim.asOtherClient({ action: 'UpdateStack', stackName, templateBody: TOPIC({ label: 'theirs', seconds: 15 }) });
    const run = startAws(rig, stackName, TOPIC({ label: 'ours' }));
    const findings = new Findings();
    const asked = await waitForState(run.rec, 'otherOperation').catch((error: Error) => error);
    findings.check(!(asked instanceof Error), `never stopped to ask: ${asked instanceof Error ? asked.message : ''}`);
    findings.check(
      rig.calls().every((c) => c.action !== 'CreateChangeSet'),
      'staged while their update ran',
    );
    run.rec.session.send({ type: 'WATCH_OTHER' });
    await waitForEnd(run.rec);
    checkAws(rig, run.rec, { stackName, outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE', executions: 1 }, findings);
    const executedAt = rig.calls().find((c) => c.action === 'ExecuteChangeSet')?.at;
    findings.check(executedAt !== undefined, 'our change set was never executed');
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });

  it("another client's update running when we deploy: Abort stages nothing and leaves theirs alone", async () => {
    const stackName = 'other-abort';
    await seedStack(rig, stackName, TOPIC());
    rig.sim.asOtherClient({ action: 'UpdateStack', stackName, templateBody: TOPIC({ label: 'theirs', seconds: 10 }) });
    const run = startAws(rig, stackName, TOPIC({ label: 'ours' }));
    const findings = new Findings();
    await waitForState(run.rec, 'otherOperation').catch((error: Error) => findings.check(false, `never stopped to ask: ${error.message}`));
    run.rec.session.send({ type: 'ABORT' });
    await waitForEnd(run.rec);
    await until(() => stackView(rig, stackName)?.status === 'UPDATE_COMPLETE', 'their update to finish');
    checkAws(rig, run.rec, { stackName, outcome: 'aborted', stackStatus: 'UPDATE_COMPLETE', executions: 0 }, findings);
    findings.check(
      rig.calls().every((c) => c.action !== 'CreateChangeSet' && c.action !== 'CancelUpdateStack'),
      `touched the stack: ${rig
        .calls()
        .map((c) => c.action)
        .join(', ')}`,
    );
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });

  it('another client cancels our update: ends with the truth (rolled back), said to be their cancel, not polled forever', async () => {
    const stackName = 'other-cancels';
    await seedStack(rig, stackName, TOPIC());
    const run = startAws(rig, stackName, TOPIC({ label: 'ours', seconds: 20 }));
    await waitForState(run.rec, 'monitoring');
    await until(() => stackView(rig, stackName)?.status === 'UPDATE_IN_PROGRESS', 'our update to run');
    rig.sim.asOtherClient({ action: 'CancelUpdateStack', stackName });
    await waitForEnd(run.rec);
    const findings = checkAws(rig, run.rec, { stackName, outcome: ['rolledBack', 'failed'], stackStatus: 'UPDATE_ROLLBACK_COMPLETE', executions: 1 });
    const said = [run.rec.snapshot.context.error?.message ?? '', ...run.rec.snapshot.context.notices].join(' ');
    findings.check(/cancel/i.test(said), `the cancel by someone else is not mentioned: "${said}"`);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });

  it('Abort while CreateChangeSet is in flight: waits for it, then removes the change set and the REVIEW_IN_PROGRESS stack', async () => {
    const stackName = 'abort-creating';
    rig.proxy.add({ match: { action: 'CreateChangeSet' }, fault: { kind: 'delay', ms: 800 } });
    const run = startAws(rig, stackName, TOPIC());
    await rig.proxy.waitForFault({ kind: 'delay', action: 'CreateChangeSet' });
    run.rec.session.send({ type: 'ABORT' });
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'aborted', stackStatus: undefined, executions: 0 });
  });

  it('Abort during a stalled ExecuteChangeSet (never reached the sim): gets out, nothing executed, nothing left', async () => {
    const stackName = 'abort-executing';
    rig.proxy.add({ match: { action: 'ExecuteChangeSet' }, fault: { kind: 'stall' } });
    const run = startAws(rig, stackName, TOPIC());
    await rig.proxy.waitForFault({ kind: 'stall', action: 'ExecuteChangeSet' });
    run.rec.session.send({ type: 'ABORT' });
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'aborted', stackStatus: undefined, executions: 0 });
  });

  it('Stop during a stalled ExecuteChangeSet that went through: finds the update, stops it (rolled back), executed once', async () => {
    const stackName = 'stop-executing';
    await seedStack(rig, stackName, TOPIC());
    rig.proxy.add({ match: { action: 'ExecuteChangeSet' }, fault: { kind: 'stall', forward: true } });
    const run = startAws(rig, stackName, TOPIC({ label: 'v2', seconds: 30 }));
    await rig.proxy.waitForFault({ kind: 'stall', action: 'ExecuteChangeSet' });
    await until(() => stackView(rig, stackName)?.status === 'UPDATE_IN_PROGRESS', 'the update to start');
    run.rec.session.send({ type: 'STOP' });
    await waitForEnd(run.rec);
    const findings = checkAws(rig, run.rec, { stackName, outcome: 'rolledBack', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', executions: 1 });
    findings.check(rig.calls().filter((c) => c.action === 'CancelUpdateStack').length >= 1, 'Stop never asked CloudFormation to cancel');
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });
});
