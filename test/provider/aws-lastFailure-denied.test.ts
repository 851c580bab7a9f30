/**
 * Why a stack can't be updated, for a role that may not call DescribeEvents (IAM policies written
 * before the call existed): the consent still names the root cause, read from the stack's own
 * events, through the real SDK against the simulator and a proxy that denies the call.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { DeploymentSession } from '../../src/deployment/session';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { FaultProxy } from '../../tools/fault-proxy/proxy';
import { awsProvider, waitForEnd, workspaceFor } from '../support/awsDeployment';

const FAILING = 'Resources:\n  Bad:\n    Type: AWS::SNS::Topic\n    Metadata: { Stackwatch: { Seconds: 2, Fail: "Invalid parameter: DisplayName" } }\n';
const DENIED =
  '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
  '<Message>User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudformation:DescribeEvents</Message></Error><RequestId>1</RequestId></ErrorResponse>';
const TARGET = { provider: 'aws' as const, name: 'denied-events', region: 'us-east-1' };

describe('an unrecoverable stack, read by a role without DescribeEvents', () => {
  let sim: CfnSim;
  let proxy: FaultProxy;
  before(async () => {
    sim = await startCfnSim({ speed: 20 });
    const seeding = awsProvider(sim.url, { changeSetPollMs: 50 });
    const session = DeploymentSession.start(
      { deploymentId: 'denied-seed', target: TARGET, autoExecute: true },
      { provider: seeding, workspace: workspaceFor({ template: FAILING }) },
    );
    await waitForEnd(session);
    seeding.dispose();
    proxy = await FaultProxy.start({ upstream: sim.url });
    proxy.add({ match: { action: 'DescribeEvents' }, fault: { kind: 'httpStatus', status: 403, body: DENIED, contentType: 'text/xml' }, times: 100 });
  });
  after(async () => {
    await proxy.close();
    await sim.close();
  });

  it('still names the root cause, from the stack events', async () => {
    const provider = awsProvider(proxy.url);
    try {
      const described = await provider.describeTarget({ target: TARGET, signal: new AbortController().signal });
      assert.equal(described.condition, 'unrecoverable');
      assert.equal(described.providerStatus, 'ROLLBACK_COMPLETE');
      assert.equal(described.lastFailure?.logicalId, 'Bad');
      assert.match(described.lastFailure?.reason ?? '', /Invalid parameter: DisplayName/);
      assert.ok(
        proxy.log.some((entry) => entry.action === 'DescribeEvents' && entry.status === 403),
        'DescribeEvents was asked (and denied) first',
      );
    } finally {
      provider.dispose();
    }
  });
});
