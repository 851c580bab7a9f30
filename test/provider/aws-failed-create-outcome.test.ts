/**
 * How a failed deployment ends under the deployment options that change what CloudFormation does
 * after a failure (OnStackFailure DELETE / DO_NOTHING, Express mode's rollback turned off): always
 * failed, with the failing resource as the root cause. Real machine, real adapter, real SDK, cfn-sim.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DeploymentSession } from '../../src/deployment/session';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import type { DeploymentOptionValues } from '../../src/providers/provider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { awsProvider, MemoryStore, uniqueDeploymentId, waitFor, waitForEnd, workspaceFor } from '../support/awsDeployment';

const HEALTHY = `Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Metadata: { Stackwatch: { Seconds: 2 } }
    Properties: { KeySchema: [] }
`;

const FAILING = `Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Metadata: { Stackwatch: { Seconds: 4 } }
    Properties: { KeySchema: [], BillingMode: PAY_PER_REQUEST }
  Bad:
    Type: AWS::SNS::Topic
    Metadata: { Stackwatch: { Seconds: 1, Fail: "Topic limit exceeded" } }
`;

describe('a failed deployment under the failure options ends failed (cfn-sim)', () => {
  let sim: CfnSim;
  let provider: AwsProvider;
  before(async () => {
    sim = await startCfnSim({ speed: 20 });
    provider = awsProvider(sim.url, { changeSetPollMs: 50 });
  });
  after(async () => {
    provider.dispose();
    await sim.close();
  });

  async function deploy(stackName: string, template: string, options: DeploymentOptionValues = {}): Promise<DeploymentSnapshot> {
    const session = DeploymentSession.start(
      { deploymentId: uniqueDeploymentId('outcome'), target: { provider: 'aws', name: stackName, region: 'us-east-1' }, autoExecute: true, options },
      { provider, workspace: workspaceFor({ template }) },
    );
    try {
      // An option that gives something up may hold the changes for review even under auto-execute: execute them.
      const held = await waitFor(session, (s) => s.matches('reviewing') || s.status === 'done', 60_000, 'the review or the end');
      if (held.matches('reviewing')) session.send({ type: 'EXECUTE' });
      return await waitForEnd(session);
    } finally {
      session.dispose();
    }
  }

  function assertFailedByBad(end: DeploymentSnapshot): void {
    assert.equal(end.value, 'failed', `ended ${JSON.stringify(end.value)} at ${end.context.providerStatus}`);
    assert.match(end.context.error?.message ?? '', /Bad .*Topic limit exceeded/, 'the failing resource stays the root cause');
  }

  it('OnStackFailure DELETE: the create failed and the stack was deleted under our token: failed, not succeeded', async () => {
    const end = await deploy('osf-delete', FAILING, { onStackFailure: 'DELETE' });
    assertFailedByBad(end);
    assert.equal(end.context.providerStatus, 'DELETE_COMPLETE');
  });

  it('OnStackFailure DELETE, executed after a window reload (the change set staged by the window before): failed, not succeeded', async () => {
    const target = { provider: 'aws' as const, name: 'osf-delete-reload', region: 'us-east-1' };
    const store = new MemoryStore();
    const steps = workspaceFor({ template: FAILING });
    const firstWindow = awsProvider(sim.url, { changeSetPollMs: 50 });
    const first = DeploymentSession.start(
      { deploymentId: uniqueDeploymentId('outcome'), target, autoExecute: true, options: { onStackFailure: 'DELETE' } },
      { provider: firstWindow, workspace: steps, store },
    );
    await waitFor(first, (s) => s.matches('reviewing'), 60_000, 'the review (DELETE gives up the failed stack, so it is held)');
    await first.flush();
    first.dispose();
    firstWindow.dispose();
    const secondWindow = awsProvider(sim.url, { changeSetPollMs: 50 });
    const resumed = await DeploymentSession.restore(target, { provider: secondWindow, workspace: steps, store });
    assert.ok(resumed, 'the deployment waited in review when the window closed');
    try {
      await waitFor(resumed, (s) => s.matches('reviewing'), 30_000, 'the review again');
      resumed.send({ type: 'EXECUTE' });
      const end = await waitForEnd(resumed);
      assertFailedByBad(end);
      assert.equal(end.context.providerStatus, 'DELETE_COMPLETE');
    } finally {
      resumed.dispose();
      secondWindow.dispose();
    }
  });

  it('OnStackFailure DO_NOTHING: the stack stays CREATE_FAILED: failed', async () => {
    const end = await deploy('osf-nothing', FAILING, { onStackFailure: 'DO_NOTHING' });
    assertFailedByBad(end);
    assert.equal(end.context.providerStatus, 'CREATE_FAILED');
  });

  it('Express (rollback off), create: CREATE_FAILED is failed, not unknown', async () => {
    const end = await deploy('express-create', FAILING, { express: true });
    assertFailedByBad(end);
    assert.equal(end.context.providerStatus, 'CREATE_FAILED');
  });

  it('Express (rollback off), update: UPDATE_FAILED is failed, not unknown', async () => {
    assert.equal((await deploy('express-update', HEALTHY)).value, 'succeeded');
    const end = await deploy('express-update', FAILING, { express: true });
    assertFailedByBad(end);
    assert.equal(end.context.providerStatus, 'UPDATE_FAILED');
  });
});
