/**
 * Deployment options: the remembered ones reach every stage call; a change in the review (a valid
 * SET_OPTION) removes what was staged, stages again as the next round with the new value, and
 * comes back to the review with the new change list. Invalid changes are ignored, the re-staged
 * set waits for the person even with auto-execute on, and Abort after a re-stage removes it all.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DeploymentInput } from '../../src/deployment/machine';
import type { DeploymentOptionSpec } from '../../src/providers/descriptor';
import type { AbortStagedRequest, Change, DescribeStagedResult, DescribeTargetResult, StageRequest } from '../../src/providers/provider';
import { CHANGES, INITIALIZED, deploymentInput, described, executed, staged, stagedResults } from '../support/deploymentFixtures';
import { answerCall, settle, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { throughStaging } from '../support/gatedPaths';

const SPECS: readonly DeploymentOptionSpec[] = [
  { id: 'fast', label: 'Fast', description: 'Skips waiting.', kind: 'flag', default: false, appliesTo: 'always' },
  {
    id: 'onFailure',
    label: 'If the create fails',
    description: 'What happens to a failed create.',
    kind: 'choice',
    choices: [
      { value: 'ROLLBACK', label: 'Roll back' },
      { value: 'KEEP', label: 'Keep it' },
    ],
    default: 'ROLLBACK',
    appliesTo: 'create',
  },
  { id: 'revert', label: 'Revert', description: 'Sets drifted resources back.', kind: 'flag', default: false, appliesTo: 'update' },
];

const RESTAGED_CHANGES: Change[] = [{ logicalId: 'Topic', action: 'Add', resourceType: 'AWS::SNS::Topic' }];
const restagedReady: DescribeStagedResult = { state: 'ready', providerStatus: 'CREATE_COMPLETE', changes: RESTAGED_CHANGES };
const REPLACED_TABLE: Change = { logicalId: 'Orders', action: 'Modify', replacement: 'True', resourceType: 'AWS::DynamoDB::Table' };
const destructive: DescribeStagedResult = { state: 'ready', providerStatus: 'UPDATE_COMPLETE', changes: [...CHANGES, REPLACED_TABLE] };

async function inReview(
  input: Partial<DeploymentInput> = {},
  condition: DescribeTargetResult = described.missing,
  result: DescribeStagedResult = stagedResults.ready,
) {
  const d = startGatedDeployment(deploymentInput(input), { deploymentOptions: SPECS });
  await throughStaging(d, { condition, result });
  assert.equal(d.actor.getSnapshot().value, 'reviewing');
  return d;
}

/** The re-stage after a taken SET_OPTION: the old attempt removed, the template loaded again, staged anew. */
async function restage(d: GatedDeployment, result: DescribeStagedResult = restagedReady): Promise<{ removal: AbortStagedRequest; stage: StageRequest }> {
  const removal = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
  await answerCall(d.gate, 'initialize', INITIALIZED);
  const stage = (await answerCall(d.gate, 'stage', { ...staged, stagedId: 'arn:changeSet/stackwatch-dep-1-1' })).request as StageRequest;
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', result);
  return { removal, stage };
}

describe('deployment options', () => {
  it('the remembered options are given to the stage call', async () => {
    const d = startGatedDeployment(deploymentInput({ options: { fast: true } }), { deploymentOptions: SPECS });
    await answerCall(d.gate, 'preflight');
    await answerCall(d.gate, 'initialize', INITIALIZED);
    await answerCall(d.gate, 'describeTarget', described.missing);
    const stage = (await d.gate.next('stage')).request as StageRequest;
    assert.deepEqual(stage.options, { fast: true });
    d.actor.stop();
  });

  it('a changed option removes the staged changes and stages again as the next round, back to review with the new list', async () => {
    const d = await inReview();
    const logBefore = d.gate.log.length;
    d.actor.send({ type: 'SET_OPTION', id: 'onFailure', value: 'KEEP' });
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { restaging: 'removing' });
    const { removal, stage } = await restage(d);
    assert.deepEqual(d.gate.log.slice(logBefore), ['abortStaged', 'initialize', 'stage', 'describeStaged'], 'the target is not read again');
    assert.equal(removal.stagedId, staged.stagedId, 'the first staged changes are removed');
    assert.equal(removal.attempt, 0);
    assert.equal(removal.removeCreatedTarget, false, 'the target staging created is staged into again, not removed');
    assert.equal(removal.executed, false);
    assert.equal(stage.attempt, 1, 'the next round');
    assert.equal(stage.condition, 'missing', 'against the target as read before');
    assert.deepEqual(stage.options, { onFailure: 'KEEP' });
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'reviewing');
    assert.equal(context.status.round, 1);
    assert.equal(context.status.activity, 'reviewing');
    assert.deepEqual(context.changes, RESTAGED_CHANGES);
    assert.equal(context.staged?.stagedId, 'arn:changeSet/stackwatch-dep-1-1');
    assert.ok(!d.gate.log.includes('execute'));
    d.actor.stop();
  });

  it('ignores a change that is unknown, of the wrong kind, not listed, not applicable, or no change', async () => {
    const d = await inReview({ options: { fast: true } }, described.ready, { ...stagedResults.ready, providerStatus: 'UPDATE_COMPLETE' });
    const logBefore = d.gate.log.length;
    const refused = [
      { id: 'nosuch', value: true },
      { id: 'fast', value: 'yes' },
      { id: 'onFailure', value: 'KEEP' }, // create only, and this is an update
      { id: 'revert', value: 'true' },
      { id: 'fast', value: true }, // already in force
      { id: 'revert', value: false }, // the default, already in force
    ];
    for (const change of refused) {
      d.actor.send({ type: 'SET_OPTION', ...change });
      await settle();
      assert.equal(d.actor.getSnapshot().value, 'reviewing', JSON.stringify(change));
    }
    assert.deepEqual(d.gate.log.slice(logBefore), [], 'no call was made');
    assert.deepEqual(d.actor.getSnapshot().context.options, { fast: true });
    d.actor.send({ type: 'SET_OPTION', id: 'revert', value: true });
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { restaging: 'removing' }, 'an update-only option is taken on an update');
    d.actor.stop();
  });

  it('a choice not listed by the option is refused', async () => {
    const d = await inReview();
    d.actor.send({ type: 'SET_OPTION', id: 'onFailure', value: 'EXPLODE' });
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'reviewing');
    d.actor.stop();
  });

  it('SET_OPTION outside the review changes nothing', async () => {
    const d = startGatedDeployment(deploymentInput(), { deploymentOptions: SPECS });
    await answerCall(d.gate, 'preflight');
    await answerCall(d.gate, 'initialize', INITIALIZED);
    await answerCall(d.gate, 'describeTarget', described.missing);
    d.actor.send({ type: 'SET_OPTION', id: 'fast', value: true });
    await settle();
    assert.deepEqual(d.actor.getSnapshot().context.options, {});
    assert.deepEqual(d.actor.getSnapshot().value, { staging: 'creating' });
    d.actor.stop();
  });

  it('without auto-execute the re-staged changes wait for review', async () => {
    const d = await inReview({ autoExecute: false });
    d.actor.send({ type: 'SET_OPTION', id: 'fast', value: true });
    await settle();
    await restage(d);
    assert.equal(d.actor.getSnapshot().value, 'reviewing');
    assert.ok(!d.gate.log.includes('execute'));
    d.actor.stop();
  });

  it('with auto-execute, a re-staged set waits for the person who changed the option (a click never deploys)', async () => {
    const d = await inReview({ autoExecute: true }, described.ready, destructive);
    d.actor.send({ type: 'SET_OPTION', id: 'fast', value: true });
    await settle();
    await restage(d);
    assert.equal(d.actor.getSnapshot().value, 'reviewing', 'the new set is not executed by itself');
    assert.ok(!d.gate.log.includes('execute'));
    d.actor.stop();
  });

  it('with auto-execute, a re-staged set that loses data is held again; the person still executes', async () => {
    const d = await inReview({ autoExecute: true }, described.ready, destructive);
    assert.match(d.actor.getSnapshot().context.heldForReview ?? '', /Orders/);
    d.actor.send({ type: 'SET_OPTION', id: 'fast', value: true });
    await settle();
    await restage(d, destructive);
    assert.equal(d.actor.getSnapshot().value, 'reviewing', 'held again, not executed');
    assert.ok(!d.gate.log.includes('execute'));
    d.actor.send({ type: 'EXECUTE' });
    const execute = await answerCall(d.gate, 'execute', executed);
    assert.equal((execute.request as { stagedId: string }).stagedId, 'arn:changeSet/stackwatch-dep-1-1', 'the re-staged changes run');
    d.actor.stop();
  });

  it('Abort after a re-stage removes the new staged changes and the target staging created', async () => {
    const d = await inReview();
    d.actor.send({ type: 'SET_OPTION', id: 'fast', value: true });
    await settle();
    await restage(d);
    d.actor.send({ type: 'ABORT' });
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.stagedId, 'arn:changeSet/stackwatch-dep-1-1');
    assert.equal(cleanup.attempt, 1);
    assert.equal(cleanup.removeCreatedTarget, true);
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    d.actor.stop();
  });
});
