/**
 * Fault matrix, CloudFormation: the extension host goes away in every state that calls the
 * provider (and in reviewing and lost contact, which hold staged or running work), and a new host
 * restores the deployment from persisted state with a new provider instance. The in-flight call
 * dies with the old host; the proxy holds the deployment in the chosen state by stalling it.
 */
import { describe, it } from 'node:test';
import type { FaultRule } from '../../tools/fault-proxy/index';
import {
  Findings,
  checkAws,
  describeEnd,
  restartAws,
  seedStack,
  stackView,
  startAws,
  until,
  waitForEnd,
  waitForState,
  type AwsExpectations,
  type AwsRig,
  type AwsRun,
} from '../support/faultHarness';
import { TOPIC } from './templates';
import { finishAws, useAwsRig } from '../support/awsFaultSuite';

describe('fault matrix: AWS extension-host restart in every state', () => {
  let rig: AwsRig;
  useAwsRig((started) => (rig = started));

  async function finishAfterRestart(run: AwsRun, expected: AwsExpectations, findings = new Findings()): Promise<void> {
    await restartAws(rig, run);
    await waitForEnd(run.rec);
    finishAws(rig, run, expected, findings);
  }

  /** Holds a new-stack deployment in a call by stalling it, restarts there, and expects a clean create. */
  async function restartWhileStalled(stackName: string, state: string, rule: FaultRule): Promise<void> {
    rig.proxy.add(rule);
    const run = startAws(rig, stackName, TOPIC());
    await rig.proxy.waitForFault({ kind: rule.fault.kind, action: rule.match.action });
    await waitForState(run.rec, state);
    await finishAfterRestart(run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 });
  }

  it('restart in initializing (ValidateTemplate in flight)', () =>
    restartWhileStalled('rs-init', 'initializing', { match: { action: 'ValidateTemplate' }, fault: { kind: 'stall' } }));
  it('restart in preparing (DescribeStacks in flight)', () =>
    restartWhileStalled('rs-prep', 'preparing', { match: { action: 'DescribeStacks' }, fault: { kind: 'stall' } }));
  it('restart in staging, creating (CreateChangeSet reached the sim, no answer): adopts it, no orphan', () =>
    restartWhileStalled('rs-create', 'staging', { match: { action: 'CreateChangeSet' }, fault: { kind: 'stall', forward: true } }));
  it('restart in staging, checking (DescribeChangeSet in flight)', () =>
    restartWhileStalled('rs-check', 'staging', { match: { action: 'DescribeChangeSet' }, fault: { kind: 'stall' } }));
  it('restart in executing (ExecuteChangeSet reached the sim, no answer): finds it, executed once', () =>
    restartWhileStalled('rs-exec', 'executing', { match: { action: 'ExecuteChangeSet' }, fault: { kind: 'stall', forward: true } }));
  it('restart in executing (ExecuteChangeSet never reached the sim): executes once', () =>
    restartWhileStalled('rs-exec-none', 'executing', { match: { action: 'ExecuteChangeSet' }, fault: { kind: 'stall' } }));

  it('restart in reviewing: the staged change set is still there to execute', async () => {
    const stackName = 'rs-review';
    const run = startAws(rig, stackName, TOPIC(), { autoExecute: false });
    await waitForState(run.rec, 'reviewing');
    await restartAws(rig, run);
    const findings = new Findings();
    const back = await waitForState(run.rec, 'reviewing', 5_000).catch((error: Error) => error);
    findings.check(!(back instanceof Error), `not back in reviewing: ${back instanceof Error ? back.message : ''}`);
    run.rec.session.send({ type: 'EXECUTE' });
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 }, findings);
  });

  it('restart in monitoring (DescribeStackEvents in flight) while the stack finishes', async () => {
    const stackName = 'rs-monitor';
    rig.proxy.add({ match: { action: 'DescribeStackEvents' }, fault: { kind: 'stall' }, skip: 1 });
    const run = startAws(rig, stackName, TOPIC({ seconds: 8 }));
    await rig.proxy.waitForFault({ kind: 'stall', action: 'DescribeStackEvents' });
    await until(() => stackView(rig, stackName)?.status === 'CREATE_COMPLETE', 'the stack to finish meanwhile');
    await finishAfterRestart(run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 });
  });

  it('restart in stopping (CancelUpdateStack reached the sim, no answer): the stop is not lost', async () => {
    const stackName = 'rs-stop';
    await seedStack(rig, stackName, TOPIC());
    rig.proxy.add({ match: { action: 'CancelUpdateStack' }, fault: { kind: 'stall', forward: true } });
    const run = startAws(rig, stackName, TOPIC({ label: 'v2', seconds: 30 }));
    await waitForState(run.rec, 'monitoring');
    await until(() => stackView(rig, stackName)?.status === 'UPDATE_IN_PROGRESS', 'the update to run');
    run.rec.session.send({ type: 'STOP' });
    await rig.proxy.waitForFault({ kind: 'stall', action: 'CancelUpdateStack' });
    const findings = new Findings();
    await restartAws(rig, run);
    await waitForEnd(run.rec);
    findings.check(
      !run.rec.snapshot.context.notices.some((n) => /Stop is not possible/.test(n)),
      `the stop was lost: ${run.rec.snapshot.context.notices.join(' | ')}`,
    );
    finishAws(rig, run, { stackName, outcome: 'rolledBack', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', executions: 1 }, findings);
  });

  it('restart in rollingBack (a failed update rolling back): ends rolled back with the root cause', async () => {
    const stackName = 'rs-rollback';
    await seedStack(rig, stackName, TOPIC());
    const run = startAws(rig, stackName, TOPIC({ label: 'v2', seconds: 10, fail: 'limit exceeded' }));
    await waitForState(run.rec, 'rollingBack');
    rig.proxy.add({ match: { action: 'DescribeStackEvents' }, fault: { kind: 'stall' } });
    await rig.proxy.waitForFault({ kind: 'stall', action: 'DescribeStackEvents' });
    const findings = new Findings();
    await restartAws(rig, run);
    await waitForEnd(run.rec);
    checkAws(rig, run.rec, { stackName, outcome: 'rolledBack', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', executions: 1 }, findings);
    findings.check(/limit exceeded/.test(run.rec.snapshot.context.error?.message ?? ''), `root cause lost: ${run.rec.snapshot.context.error?.message ?? '-'}`);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });

  it('restart in recreating (after consent to delete a ROLLBACK_COMPLETE stack): one delete, then created', async () => {
    const stackName = 'rs-recreate';
    const broken = startAws(rig, stackName, TOPIC({ failCreate: 'bad name' }));
    await waitForEnd(broken.rec);
    broken.rec.dispose();
    await until(() => stackView(rig, stackName)?.status === 'ROLLBACK_COMPLETE', 'the broken stack');
    rig.markBaseline();
    rig.proxy.reset();
    const run = startAws(rig, stackName, TOPIC());
    await waitForState(run.rec, 'awaitingConsent');
    rig.proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'stall' }, times: Infinity });
    run.rec.session.send({ type: 'CONSENT', action: 'delete' });
    await waitForState(run.rec, 'recreating');
    await rig.proxy.waitForFault({ kind: 'stall', action: 'DescribeStacks' });
    const findings = new Findings();
    await restartAws(rig, run);
    await waitForEnd(run.rec);
    checkAws(rig, run.rec, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1, consentedDelete: true }, findings);
    const deletes = rig.calls().filter((c) => c.action === 'DeleteStack' && c.status === 200).length;
    findings.check(deletes === 1, `${deletes} accepted DeleteStack calls, expected the one consented`);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });

  it("restart in otherOperation (watching another client's update): theirs is still not ours; ours deploys after", async () => {
    const stackName = 'rs-other';
    await seedStack(rig, stackName, TOPIC());
    rig.sim.asOtherClient({ action: 'UpdateStack', stackName, templateBody: TOPIC({ label: 'theirs', seconds: 20 }) });
    const run = startAws(rig, stackName, TOPIC({ label: 'ours' }));
    const findings = new Findings();
    await waitForState(run.rec, 'otherOperation').catch((error: Error) => findings.check(false, `never stopped to ask: ${error.message}`));
    run.rec.session.send({ type: 'WATCH_OTHER' });
    await restartAws(rig, run);
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'UPDATE_COMPLETE', executions: 1 }, findings);
  });

  it('restart in cleaningUp (DeleteChangeSet in flight after Abort): nothing left behind', async () => {
    const stackName = 'rs-cleanup';
    rig.proxy.add({ match: { action: 'DeleteChangeSet' }, fault: { kind: 'stall' } });
    const run = startAws(rig, stackName, TOPIC(), { autoExecute: false });
    await waitForState(run.rec, 'reviewing');
    run.rec.session.send({ type: 'ABORT' });
    await rig.proxy.waitForFault({ kind: 'stall', action: 'DeleteChangeSet' });
    await finishAfterRestart(run, { stackName, outcome: 'aborted', stackStatus: undefined, executions: 0 });
  });

  it('restart in lostContact (credentials expired mid-monitor), refreshed, Check again: succeeded', async () => {
    const stackName = 'rs-lost';
    const run = startAws(rig, stackName, TOPIC({ seconds: 6 }));
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: {}, fault: { kind: 'expiredCredentials' }, times: Infinity });
    await waitForState(run.rec, 'lostContact');
    await restartAws(rig, run);
    const findings = new Findings();
    const back = await waitForState(run.rec, 'lostContact', 3_000).catch((error: Error) => error);
    findings.check(!(back instanceof Error) || run.rec.snapshot.status === 'done', `not back in lostContact: ${back instanceof Error ? back.message : ''}`);
    if (run.rec.snapshot.status !== 'done') run.rec.session.send({ type: 'CHECK_AGAIN' });
    await waitForEnd(run.rec);
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 }, findings);
  });
});
