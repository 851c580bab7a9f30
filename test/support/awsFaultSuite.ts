/**
 * What every CloudFormation fault-matrix file does around its entries: one rig for the describe,
 * reset between entries, and the same ending (check against cfn-sim, release the run, report).
 * Kept apart from faultHarness.ts so the harness stays about the rig itself.
 */
import { after, before, beforeEach } from 'node:test';
import { Findings, checkAws, describeEnd, startAwsRig, type AwsExpectations, type AwsRig, type AwsRun } from './faultHarness';

/**
 * Registers, in the enclosing describe, the hooks that start one AwsRig, reset it before each
 * entry and close it at the end; `use` receives the rig once it is started.
 */
export function useAwsRig(use: (rig: AwsRig) => void): void {
  let rig: AwsRig | undefined;
  before(async () => {
    rig = await startAwsRig();
    use(rig);
  });
  beforeEach(() => rig?.reset());
  after(async () => rig?.close());
}

/** Checks the ended run against cfn-sim, releases it, and fails the entry with every finding. */
export function finishAws(rig: AwsRig, run: AwsRun, expected: AwsExpectations, findings = new Findings(), extra = ''): void {
  checkAws(rig, run.rec, expected, findings);
  run.rec.dispose();
  findings.done(describeEnd(run.rec, extra));
}
