/**
 * Fault matrix, CloudFormation: a call that never answers, at every step that calls the provider,
 * and broken answers (reset, truncated, garbage) on the reads that watch the stack. Each entry
 * checks the outcome against cfn-sim's own state, the executions against its call log, that
 * nothing staged is left behind or deleted without consent, and that a stall shows *retrying*
 * within the deadline plus one second.
 */
import { describe, it } from 'node:test';
import { TOPIC } from './templates';
import { finishAws, useAwsRig } from '../support/awsFaultSuite';
import { Findings, checkAws, checkRetryingSoon, describeEnd, seedStack, startAws, waitForEnd, waitForState, type AwsRig } from '../support/faultHarness';

describe('fault matrix: AWS stalls and broken reads', () => {
  let rig: AwsRig;
  useAwsRig((started) => (rig = started));

  /** Stalls the first matching call (after `skip` that pass), deploys a new stack, and checks the stall bound and the truth. */
  async function stallOnCreate(action: string, stackName: string, options: { skip?: number; template?: string } = {}): Promise<void> {
    rig.proxy.add({ match: { action }, fault: { kind: 'stall' }, skip: options.skip });
    const run = startAws(rig, stackName, options.template ?? TOPIC());
    const stall = await rig.proxy.waitForFault({ kind: 'stall', action });
    const end = await waitForEnd(run.rec);
    const findings = new Findings();
    checkRetryingSoon(run.rec, stall.at, findings);
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 }, findings, `value ${JSON.stringify(end.value)}`);
  }

  it('stall on ValidateTemplate (initializing): retrying, then deploys', () => stallOnCreate('ValidateTemplate', 'stall-validate'));
  it('stall on DescribeStacks (preparing): retrying, then deploys', () => stallOnCreate('DescribeStacks', 'stall-describe'));
  it('stall on CreateChangeSet (staging, never reached the sim): retrying, one change set name', () => stallOnCreate('CreateChangeSet', 'stall-create'));
  it('stall on DescribeChangeSet (staging, checking): retrying, then deploys', () => stallOnCreate('DescribeChangeSet', 'stall-check'));
  it('stall on ExecuteChangeSet (never reached the sim): retrying, executed exactly once', () => stallOnCreate('ExecuteChangeSet', 'stall-execute'));

  it('stall on DescribeStackEvents mid-monitor while the stack finishes meanwhile: retrying, then the truth', () =>
    stallOnCreate('DescribeStackEvents', 'stall-events', { skip: 1, template: TOPIC({ seconds: 8 }) }));

  it('stall on DeleteChangeSet (cleaning up after Abort): retrying, then nothing left behind', async () => {
    const stackName = 'stall-cleanup';
    rig.proxy.add({ match: { action: 'DeleteChangeSet' }, fault: { kind: 'stall' } });
    const run = startAws(rig, stackName, TOPIC(), { autoExecute: false });
    await waitForState(run.rec, 'reviewing');
    run.rec.session.send({ type: 'ABORT' });
    const stall = await rig.proxy.waitForFault({ kind: 'stall', action: 'DeleteChangeSet' });
    await waitForEnd(run.rec);
    const findings = new Findings();
    checkRetryingSoon(run.rec, stall.at, findings);
    finishAws(rig, run, { stackName, outcome: 'aborted', stackStatus: undefined, executions: 0 }, findings);
  });

  /** Breaks the monitor's reads `times` times and checks the outcome is still the sim's truth. */
  async function brokenReads(
    stackName: string,
    fault: Parameters<AwsRig['proxy']['add']>[0]['fault'],
    action = 'DescribeStackEvents',
    times = 2,
  ): Promise<void> {
    const run = startAws(rig, stackName, TOPIC({ seconds: 8 }));
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: { action }, fault, times });
    await waitForEnd(run.rec);
    const findings = new Findings();
    findings.check(
      rig.proxy.log.filter((e) => e.fault === fault.kind).length === times,
      `the fault hit ${rig.proxy.log.filter((e) => e.fault === fault.kind).length} of ${times} times`,
    );
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 }, findings);
  }

  it('connection reset on DescribeStackEvents during monitoring: the truth (succeeded)', () => brokenReads('reset-events', { kind: 'reset' }));
  it('truncated DescribeStackEvents (malformed XML) during monitoring: the truth (succeeded)', () => brokenReads('cut-events', { kind: 'truncate' }));
  it('truncated DescribeStackEvents (connection cut mid-body) during monitoring: the truth (succeeded)', () =>
    brokenReads('cut-conn-events', { kind: 'truncate', keepBytes: 200, contentLength: 'original' }));
  it('garbage DescribeStackEvents during monitoring: the truth (succeeded)', () =>
    brokenReads('garbage-events', { kind: 'garbage' }, 'DescribeStackEvents', 3));

  it('garbage on every read while an update fails and rolls back: the truth (rolled back), not a guess', async () => {
    const stackName = 'garbage-rollback';
    await seedStack(rig, stackName, TOPIC());
    const run = startAws(rig, stackName, TOPIC({ label: 'v2', seconds: 6, fail: 'quota exceeded' }));
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: { action: 'DescribeStackEvents' }, fault: { kind: 'garbage' }, times: 3 });
    rig.proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'truncate' }, times: 2 });
    await waitForEnd(run.rec);
    const findings = new Findings();
    checkAws(rig, run.rec, { stackName, outcome: 'rolledBack', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', executions: 1 }, findings);
    findings.check(
      /quota exceeded/.test(run.rec.snapshot.context.error?.message ?? ''),
      `the root cause is not the resource's reason: ${run.rec.snapshot.context.error?.message ?? '-'}`,
    );
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });
});
