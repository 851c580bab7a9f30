/**
 * The failure reads against moto, an independent emulator without DescribeEvents: moto answers
 * the call with its web server's HTML error page (HTTP 500). From a custom endpoint that is taken
 * as "no such call": staging still works, and DescribeEvents is asked once in the window, never
 * again. Calls are counted by a pass-through proxy in front of moto.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { FaultProxy } from '../../tools/fault-proxy/index';
import { awsProvider, templateSource, uniqueDeploymentId } from '../support/awsDeployment';
import { pythonWithMoto, startMoto, type MotoServer } from '../support/moto';

const found = pythonWithMoto();
if (!found.python) console.log(`# moto failure-read tests skipped: ${found.reason}`);

const TOPIC = (name: string) => `Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: ${name}
`;

describe('AWS failure reads against moto (no DescribeEvents)', { skip: found.python ? false : found.reason }, () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let provider: AwsProvider;
  const signal = new AbortController().signal;

  before(async () => {
    moto = await startMoto(found.python as string);
    proxy = await FaultProxy.start({ upstream: moto.url });
    provider = awsProvider(proxy.url, { changeSetPollMs: 50 });
  });
  after(async () => {
    provider.dispose();
    await proxy.close();
    await moto.stop();
  });

  async function describedReady(stackName: string): Promise<void> {
    const target = { provider: 'aws' as const, name: stackName, region: 'us-east-1' };
    const staged = await provider.stage({
      target,
      template: templateSource(TOPIC(stackName)),
      parameters: [],
      capabilities: [],
      condition: 'missing',
      deploymentId: uniqueDeploymentId('moto'),
      attempt: 0,
      signal,
    });
    for (let i = 0; i < 200; i++) {
      const described = await provider.describeStaged({ target, stagedId: staged.stagedId, signal });
      if (described.state === 'ready') {
        assert.equal(described.findings, undefined);
        assert.ok(described.changes.some((c) => c.logicalId === 'Topic'));
        return;
      }
      assert.equal(described.state, 'pending', described.reason);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${stackName}: the change set never became ready`);
  }

  it('a ready change set is reviewed as before; DescribeEvents is asked once in the window, not per change set', async () => {
    await describedReady('moto-first');
    await describedReady('moto-second');
    const asked = proxy.log.filter((e) => e.action === 'DescribeEvents').length;
    assert.equal(asked, 1, `DescribeEvents asked ${asked} times`);
  });
});
