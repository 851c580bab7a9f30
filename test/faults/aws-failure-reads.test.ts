/**
 * Fault matrix, CloudFormation: the failure reads (DescribeEvents by operation and by change set,
 * GetHookResult). They only explain; the truth rule says a read that stalls, breaks or answers
 * garbage never changes the outcome and never holds it up for long: the deployment ends as
 * cfn-sim says, with the root cause the stack events tell. Each entry checks the outcome against
 * cfn-sim's own state and call log.
 */
import { describe, it } from 'node:test';
import { TOPIC } from './templates';
import { finishAws, useAwsRig } from '../support/awsFaultSuite';
import { Findings, seedStack, stackView, startAws, until, waitForEnd, waitForState, type AwsRig } from '../support/faultHarness';

/** A bucket whose create a hook fails, with annotations to read. */
const HOOKED_BUCKET = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      Stackwatch:
        Seconds: 2
        Hook:
          Type: Private::Guard::S3Encryption
          Reason: "the following rule(s) failed: S3BucketEncryption"
          On: [create]
          Annotations:
            - AnnotationName: S3BucketEncryption
              Status: FAILED
              RemediationMessage: "Set BucketEncryption"
`;

/** A bucket early validation fails (the name breaks the naming rules). */
const BAD_BUCKET = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: Not_A..Valid-Bucket
`;

type Fault = Parameters<AwsRig['proxy']['add']>[0]['fault'];

describe('fault matrix: AWS failure reads (DescribeEvents, GetHookResult)', () => {
  let rig: AwsRig;
  useAwsRig((started) => (rig = started));

  /** Breaks every `action` while an update fails and rolls back; the truth and the stack events' root cause stand. */
  async function failedUpdateWith(action: string, fault: Fault, stackName: string): Promise<void> {
    await seedStack(rig, stackName, TOPIC());
    const run = startAws(rig, stackName, TOPIC({ label: 'v2', seconds: 4, fail: 'quota exceeded' }));
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: { action }, fault, times: Infinity });
    await waitForEnd(run.rec);
    const findings = new Findings();
    findings.check(
      /quota exceeded/.test(run.rec.snapshot.context.error?.message ?? ''),
      `the root cause is not the resource's reason: ${run.rec.snapshot.context.error?.message ?? '-'}`,
    );
    findings.check(
      rig.proxy.log.some((e) => e.action === action && e.fault === fault.kind),
      `${action} was never asked, so never faulted`,
    );
    finishAws(rig, run, { stackName, outcome: 'rolledBack', stackStatus: 'UPDATE_ROLLBACK_COMPLETE', executions: 1 }, findings);
  }

  it('stall on every DescribeEvents while an update fails: the truth (rolled back), the root cause from the stack events', () =>
    failedUpdateWith('DescribeEvents', { kind: 'stall' }, 'stall-failure-read'));
  it('garbage on every DescribeEvents while an update fails: the truth (rolled back)', () =>
    failedUpdateWith('DescribeEvents', { kind: 'garbage' }, 'garbage-failure-read'));
  it('connection reset on every DescribeEvents while an update fails: the truth (rolled back)', () =>
    failedUpdateWith('DescribeEvents', { kind: 'reset' }, 'reset-failure-read'));

  it('stall on every DescribeEvents from the start of a deploy that succeeds: the review waits no longer than a retry, then deploys', async () => {
    const stackName = 'stall-warnings-read';
    rig.proxy.add({ match: { action: 'DescribeEvents' }, fault: { kind: 'stall' }, times: Infinity });
    const run = startAws(rig, stackName, TOPIC());
    await waitForEnd(run.rec);
    const findings = new Findings();
    findings.check(
      rig.proxy.log.some((e) => e.action === 'DescribeEvents' && e.fault === 'stall'),
      "DescribeEvents (the ready change set's warnings) was never asked, so never stalled",
    );
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1 }, findings);
  });

  it('stall on every GetHookResult while a hook fails the create: the truth, the hook failure without annotations', async () => {
    const stackName = 'stall-hook-result';
    rig.proxy.add({ match: { action: 'GetHookResult' }, fault: { kind: 'stall' }, times: Infinity });
    const run = startAws(rig, stackName, HOOKED_BUCKET);
    await waitForEnd(run.rec);
    const findings = new Findings();
    findings.check(
      rig.proxy.log.some((e) => e.action === 'GetHookResult' && e.fault === 'stall'),
      'GetHookResult was never asked, so never stalled',
    );
    finishAws(rig, run, { stackName, outcome: ['rolledBack', 'failed'], stackStatus: 'ROLLBACK_COMPLETE', executions: 1 }, findings);
  });

  it('stall on every DescribeEvents while describing a ROLLBACK_COMPLETE stack: consent is still asked; consented, it is recreated', async () => {
    const stackName = 'stall-last-failure';
    const broken = startAws(rig, stackName, TOPIC({ failCreate: 'bad name' }));
    await waitForEnd(broken.rec);
    broken.rec.dispose();
    await until(() => stackView(rig, stackName)?.status === 'ROLLBACK_COMPLETE', 'the broken stack');
    rig.markBaseline();
    rig.proxy.reset();
    rig.proxy.add({ match: { action: 'DescribeEvents' }, fault: { kind: 'stall' }, times: Infinity });
    const run = startAws(rig, stackName, TOPIC());
    await waitForState(run.rec, 'awaitingConsent');
    run.rec.session.send({ type: 'CONSENT', action: 'delete' });
    await waitForEnd(run.rec);
    const findings = new Findings();
    findings.check(
      rig.proxy.log.some((e) => e.action === 'DescribeEvents' && e.fault === 'stall'),
      'DescribeEvents was never asked, so never stalled',
    );
    finishAws(rig, run, { stackName, outcome: 'succeeded', stackStatus: 'CREATE_COMPLETE', executions: 1, consentedDelete: true }, findings);
  });

  it('stall on every DescribeEvents after early validation fails the change set: the change set reason stands, nothing executed or left', async () => {
    const stackName = 'stall-validation-read';
    rig.proxy.add({ match: { action: 'DescribeEvents' }, fault: { kind: 'stall' }, times: Infinity });
    const run = startAws(rig, stackName, BAD_BUCKET);
    await waitForEnd(run.rec);
    const findings = new Findings();
    const message = run.rec.snapshot.context.error?.message ?? '';
    findings.check(/EarlyValidation|validation/i.test(message), `the change set's own reason is not shown: ${message || '-'}`);
    finishAws(rig, run, { stackName, outcome: 'failed', stackStatus: undefined, executions: 0 }, findings);
  });
});
