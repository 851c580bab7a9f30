/**
 * The re-stage after a changed option, where it can go wrong: Abort or a failure while the template
 * loads again still removes the target the first round created (and waits for no change set never
 * asked for); a removal that fails leaves the review as it was; someone else's execute meanwhile is
 * theirs; the options panel stays while the template loads. And auto-execute never applies unseen
 * an option that gives something up.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DeploymentInput } from '../../src/deployment/machine';
import { givenUp } from '../../src/deployment/deploymentOptions';
import type { DeploymentOptionSpec } from '../../src/providers/descriptor';
import { awsDeploymentOptions } from '../../src/providers/aws/deploymentOptions';
import type { AbortStagedRequest, DescribeTargetResult } from '../../src/providers/provider';
import { optionRows } from '../../src/ui/reviewModel';
import { toViewModel } from '../../src/ui/viewModel';
import { INITIALIZED, deploymentInput, described, executed, staged, stagedResults } from '../support/deploymentFixtures';
import { answerCall, settle, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { initialized, throughStaging } from '../support/gatedPaths';

const SPECS: readonly DeploymentOptionSpec[] = [
  { id: 'fast', label: 'Fast', description: 'Skips waiting.', kind: 'flag', default: false, appliesTo: 'always', givesUp: 'rollback' },
  { id: 'tidy', label: 'Tidy', description: 'Gives up nothing.', kind: 'flag', default: false, appliesTo: 'always' },
  {
    id: 'onFailure',
    label: 'If the create fails',
    description: 'What happens to a failed create.',
    kind: 'choice',
    choices: [
      { value: 'ROLLBACK', label: 'Roll back' },
      { value: 'KEEP', label: 'Keep it', givesUp: 'the rollback of a failed create' },
      { value: 'RETRY', label: 'Retry' },
    ],
    default: 'ROLLBACK',
    appliesTo: 'create',
  },
];

/** What the first round's stage answered: a change set on a target it created. */
const FIRST = { ...staged, targetId: 'arn:stack/created-by-round-0' };

async function inReview(input: Partial<DeploymentInput> = {}, condition: DescribeTargetResult = described.missing): Promise<GatedDeployment> {
  const d = startGatedDeployment(deploymentInput(input), { deploymentOptions: SPECS });
  await initialized(d);
  await answerCall(d.gate, 'describeTarget', condition);
  await answerCall(d.gate, 'stage', FIRST);
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', stagedResults.ready);
  assert.equal(d.actor.getSnapshot().value, 'reviewing');
  return d;
}

/** Changes an option in the review and answers the removal of the first round's changes. */
async function changeOption(d: GatedDeployment, removal: unknown = {}): Promise<void> {
  d.actor.send({ type: 'SET_OPTION', id: 'tidy', value: true });
  await settle();
  await answerCall(d.gate, 'abortStaged', removal);
}

describe('re-stage after a changed option', () => {
  it('Abort while the template loads again removes the target the first round created, and looks for no change set', async () => {
    const d = await inReview();
    await changeOption(d);
    await d.gate.next('initialize');
    d.actor.send({ type: 'ABORT' });
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.removeCreatedTarget, true, 'the empty target is removed');
    assert.equal(cleanup.targetId, FIRST.targetId, 'by the ID the first round staged into');
    assert.equal(cleanup.nothingStaged, true, 'nothing of this round was staged: no change set to wait for');
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    d.actor.stop();
  });

  it('a template that fails to load on the re-stage also removes the target the first round created', async () => {
    const d = await inReview();
    await changeOption(d);
    (await d.gate.next('initialize')).reject(Object.assign(new Error('Template is broken'), { code: 'Validation' }));
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.removeCreatedTarget, true);
    assert.equal(cleanup.targetId, FIRST.targetId);
    assert.equal(d.actor.getSnapshot().value, 'failed');
    d.actor.stop();
  });

  it('once the re-stage is sent, a failed stage cleans up by the new attempt and still removes the created target', async () => {
    const d = await inReview();
    await changeOption(d);
    await answerCall(d.gate, 'initialize', INITIALIZED);
    (await d.gate.next('stage')).reject(Object.assign(new Error('Denied'), { code: 'AccessDenied' }));
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.attempt, 1);
    assert.equal(cleanup.nothingStaged, undefined, 'the stage call was sent: what it may have made is looked for');
    assert.equal(cleanup.targetId, FIRST.targetId);
    assert.equal(cleanup.removeCreatedTarget, true);
    d.actor.stop();
  });

  it('a removal that fails goes back to the review of the changes still staged, with their options; Abort removes them', async () => {
    const d = await inReview({ options: { fast: false } });
    d.actor.send({ type: 'SET_OPTION', id: 'tidy', value: true });
    await settle();
    (await d.gate.next('abortStaged')).reject(Object.assign(new Error('Access denied'), { code: 'AccessDenied' }));
    await settle();
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'reviewing', 'nothing is staged over changes that still stand');
    assert.deepEqual(context.options, { fast: false }, 'the options they were staged with');
    assert.equal(context.status.round, 0);
    assert.ok(context.notices.some((n) => n.startsWith('The option was not changed')));
    assert.equal(d.gate.log.filter((call) => call === 'initialize').length, 1, 'the template is not loaded again');
    d.actor.send({ type: 'ABORT' });
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.stagedId, FIRST.stagedId, 'the leftover is removed at the end');
    assert.equal(cleanup.removeCreatedTarget, true);
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    d.actor.stop();
  });

  it('an execute by someone else during the removal is not followed as ours: the target is read again', async () => {
    const d = await inReview();
    await changeOption(d, { executedMeanwhile: true });
    const read = await d.gate.next('describeTarget');
    const { context } = d.actor.getSnapshot();
    assert.equal(context.executed, false, 'not recorded as this deployment executing');
    assert.equal(context.operation, undefined);
    assert.equal(context.staged, undefined);
    assert.ok(context.notices.some((n) => n.startsWith('Someone else executed the staged changes')));
    read.resolve(described.inProgress);
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { otherOperation: 'asking' });
    assert.ok(!d.gate.log.includes('poll') && !d.gate.log.includes('findExecution'));
    d.actor.send({ type: 'ABORT' });
    const cleanup = (await answerCall(d.gate, 'abortStaged', {})).request as AbortStagedRequest;
    assert.equal(cleanup.nothingStaged, true);
    assert.notEqual(cleanup.targetId, FIRST.targetId, 'the target they deployed into is never removed as ours');
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    d.actor.stop();
  });

  it('the options stay shown, read-only with the value chosen, while the template loads again', async () => {
    const d = await inReview();
    await changeOption(d);
    await d.gate.next('initialize');
    const phase = toViewModel(d.actor.getSnapshot()).phase;
    assert.equal(phase, 'starting');
    const rows = optionRows(d.actor.getSnapshot(), phase, SPECS);
    assert.equal(rows?.find((row) => row.id === 'tidy')?.value, true);
    assert.ok(rows?.every((row) => !row.enabled));
    d.actor.stop();
  });
});

describe('auto-execute and options that give something up', () => {
  async function staged(options: DeploymentInput['options'], condition: DescribeTargetResult = described.missing) {
    const d = startGatedDeployment(deploymentInput({ autoExecute: true, options }), { deploymentOptions: SPECS });
    await throughStaging(d, { condition, result: stagedResults.ready });
    return d;
  }

  it('holds for review, and says what is given up, when such an option is in force', async () => {
    const inForce: Array<DeploymentInput['options']> = [{ fast: true }, { onFailure: 'KEEP' }];
    for (const options of inForce) {
      const d = await staged(options);
      const { value, context } = d.actor.getSnapshot();
      assert.equal(value, 'reviewing', JSON.stringify(options));
      assert.match(context.heldForReview ?? '', /give something up \((Fast: rollback|If the create fails: the rollback of a failed create)\)/);
      assert.ok(!d.gate.log.includes('execute'));
      d.actor.send({ type: 'EXECUTE' });
      await answerCall(d.gate, 'execute', executed);
      d.actor.stop();
    }
  });

  it('runs on when what is in force gives up nothing, or does not apply to this staging', async () => {
    const cases: Array<[DeploymentInput['options'], DescribeTargetResult]> = [
      [{}, described.missing],
      [{ tidy: true, onFailure: 'RETRY' }, described.missing],
      [{ onFailure: 'KEEP' }, described.ready],
    ];
    for (const [options, condition] of cases) {
      const d = await staged(options, condition);
      await d.gate.next('execute');
      assert.equal(d.actor.getSnapshot().context.heldForReview, undefined, JSON.stringify(options));
      d.actor.stop();
    }
  });

  it('the AWS options say what they give up: Express, a create failure that deletes or keeps, importing', () => {
    const given = (values: Record<string, boolean | string>, kind: 'create' | 'update' = 'create') => givenUp(awsDeploymentOptions(), values, kind);
    assert.equal(given({}).length, 0);
    assert.equal(given({ onStackFailure: 'ROLLBACK', revertDrift: true }, 'update').length, 0);
    assert.match(given({ express: true })[0] ?? '', /rollback/);
    assert.match(given({ onStackFailure: 'DELETE' })[0] ?? '', /failed stack/);
    assert.match(given({ onStackFailure: 'DO_NOTHING' })[0] ?? '', /rollback/);
    assert.equal(given({ onStackFailure: 'DELETE' }, 'update').length, 0, 'create-only');
    assert.match(given({ importExisting: true })[0] ?? '', /already exists/);
  });
});
