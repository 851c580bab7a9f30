/**
 * A changed option's re-stage through the real machine, the AWS adapter and the real SDK against
 * cfn-sim: Abort while the template loads again leaves no empty stack behind, and asks for no change
 * set of the round that never staged.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DeploymentSession } from '../../src/deployment/session';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import type { InitializedDeployment } from '../../src/deployment/machine';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { awsProvider, inState, templateSource, uniqueDeploymentId, waitFor, waitForEnd } from '../support/awsDeployment';

const TEMPLATE = `Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n`;
const INITIALIZED: InitializedDeployment = { template: templateSource(TEMPLATE), parameters: [], capabilities: [], warnings: [] };

describe('re-stage after a changed option, against cfn-sim', () => {
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

  it('Abort while the template loads again removes the stack the first change set created', async () => {
    let loads = 0;
    let releaseSecondLoad: () => void = () => undefined;
    const secondLoad = new Promise<void>((resolve) => (releaseSecondLoad = resolve));
    const workspace = {
      preflight: async () => undefined,
      initialize: async (): Promise<InitializedDeployment> => {
        // The re-stage's load is held until the test has sent Abort.
        if (loads++ > 0) await secondLoad;
        return INITIALIZED;
      },
    };
    const session = DeploymentSession.start(
      { deploymentId: uniqueDeploymentId('restage'), target: { provider: 'aws', name: 'restaged', region: 'us-east-1' }, autoExecute: false },
      { provider, workspace },
    );
    await waitFor(session, inState('reviewing'));
    assert.equal(sim.stacks().find((stack) => stack.name === 'restaged')?.status, 'REVIEW_IN_PROGRESS');
    session.send({ type: 'SET_OPTION', id: 'importExisting', value: true });
    await waitFor(session, inState('initializing'), 20_000, 'the re-stage loads the template');
    const callsBeforeAbort = sim.calls().length;
    session.send({ type: 'ABORT' });
    releaseSecondLoad();
    const end = await waitForEnd(session);
    assert.equal(end.value, 'aborted');
    const left = sim.stacks().filter((stack) => stack.name === 'restaged' && stack.status !== 'DELETE_COMPLETE');
    assert.deepEqual(left, [], 'no empty stack is left');
    const asked = sim
      .calls()
      .slice(callsBeforeAbort)
      .map((call) => call.action);
    assert.ok(asked.includes('DeleteStack'));
    assert.ok(!asked.includes('DescribeChangeSet'), `no change set of the round that never staged is waited for: ${asked.join(', ')}`);
  });
});
