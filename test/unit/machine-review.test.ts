/**
 * Auto-execute never runs a change that can lose data without review: a data store replaced or
 * deleted, or a Delete/Replace policy action, stops in reviewing with a notice naming it, unless
 * the person opted out (stackwatch.autoExecuteDestructive).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DeploymentInput } from '../../src/deployment/machine';
import type { Change, DescribeStagedResult } from '../../src/providers/provider';
import { CHANGES, deploymentInput, described, executed } from '../support/deploymentFixtures';
import { answerCall, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { throughStaging } from '../support/gatedPaths';

const REPLACED_TABLE: Change = { logicalId: 'Orders', action: 'Modify', replacement: 'True', resourceType: 'AWS::DynamoDB::Table' };
const destructive: DescribeStagedResult = { state: 'ready', providerStatus: 'CREATE_COMPLETE', changes: [...CHANGES, REPLACED_TABLE] };
const harmless: DescribeStagedResult = { state: 'ready', providerStatus: 'CREATE_COMPLETE', changes: CHANGES };

async function stageWith(input: Partial<DeploymentInput>, result: DescribeStagedResult): Promise<GatedDeployment> {
  const d = startGatedDeployment(deploymentInput(input));
  await throughStaging(d, { condition: described.ready, result });
  return d;
}

describe('auto-execute holds changes that can lose data', () => {
  it('a replaced DynamoDB table waits in review, with a notice naming it', async () => {
    const d = await stageWith({ autoExecute: true }, destructive);
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'reviewing');
    assert.ok(!d.gate.log.includes('execute'), 'nothing executed without review');
    assert.match(context.heldForReview ?? '', /Orders \(AWS::DynamoDB::Table\) would be replaced/);
    assert.ok(context.notices.includes(context.heldForReview ?? ''), 'the person is told why');
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    assert.deepEqual(d.actor.getSnapshot().value, { monitoring: 'polling' }, 'the person may execute it');
    d.actor.stop();
  });

  it('with autoExecuteDestructive, the same changes execute on their own', async () => {
    const d = await stageWith({ autoExecute: true, autoExecuteDestructive: true }, destructive);
    await answerCall(d.gate, 'execute', executed);
    const { value, context } = d.actor.getSnapshot();
    assert.deepEqual(value, { monitoring: 'polling' });
    assert.equal(context.heldForReview, undefined);
    assert.deepEqual(context.notices, []);
    d.actor.stop();
  });

  it('harmless changes execute on their own with auto-execute', async () => {
    const d = await stageWith({ autoExecute: true }, harmless);
    await answerCall(d.gate, 'execute', executed);
    assert.deepEqual(d.actor.getSnapshot().value, { monitoring: 'polling' });
    assert.deepEqual(d.actor.getSnapshot().context.notices, []);
    d.actor.stop();
  });

  it('without auto-execute every change waits for review, and no hold notice is added', async () => {
    const d = await stageWith({ autoExecute: false }, destructive);
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'reviewing');
    assert.equal(context.heldForReview, undefined);
    assert.deepEqual(context.notices, []);
    d.actor.stop();
  });

  it('a Delete policy action on any type is held too', async () => {
    const result: DescribeStagedResult = {
      ...harmless,
      changes: [{ logicalId: 'Fn', action: 'Remove', resourceType: 'AWS::Lambda::Function', policyAction: 'Delete' }],
    };
    const d = await stageWith({ autoExecute: true }, result);
    assert.equal(d.actor.getSnapshot().value, 'reviewing');
    assert.match(d.actor.getSnapshot().context.heldForReview ?? '', /Fn \(AWS::Lambda::Function\) has deletion policy action Delete/);
    d.actor.stop();
  });
});
