/**
 * Fault matrix, CloudFormation: GetTemplate for Compare with Deployed. A stalled, reset or garbled
 * read is an error the person can retry, never "no deployed template" (which would claim the
 * stack is new), and a stall ends within its deadline instead of hanging the command.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { TOPIC } from './templates';
import { useAwsRig } from '../support/awsFaultSuite';
import { AWS_REGION, seedStack, type AwsRig } from '../support/faultHarness';

type Fault = Parameters<AwsRig['proxy']['add']>[0]['fault'];

describe('fault matrix: AWS GetTemplate (Compare with Deployed)', () => {
  let rig: AwsRig;
  useAwsRig((started) => (rig = started));

  for (const fault of [{ kind: 'stall' }, { kind: 'reset' }, { kind: 'garbage' }] as Fault[]) {
    it(`GetTemplate ${fault.kind}: an error, never "no deployed template"`, async () => {
      const stackName = `deployed-${fault.kind}`;
      await seedStack(rig, stackName, TOPIC());
      rig.proxy.add({ match: { action: 'GetTemplate' }, fault, times: Infinity });
      const provider = rig.provider();
      try {
        await assert.rejects(
          provider.deployedTemplate({ target: { provider: 'aws', name: stackName, region: AWS_REGION }, signal: new AbortController().signal }),
          `GetTemplate ${fault.kind} must fail the read`,
        );
        assert.ok(
          rig.proxy.log.some((entry) => entry.action === 'GetTemplate' && entry.fault === fault.kind),
          'GetTemplate was asked, so faulted',
        );
      } finally {
        provider.dispose();
        rig.proxy.releaseStalled();
      }
    });
  }
});
