/**
 * Deployment options once staging failed with nothing executed (the case a name conflict's "import
 * existing resources" advice is for): the monitor's options are editable and show what is saved
 * for the target, Deploy Again is offered, and a change is saved only as the review would take it.
 * Every other end, and every phase before it, keeps them read-only with no Deploy Again.
 * Real snapshots of a real deployment actor; a Map-backed store for the workspace state.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { rememberOptionChange, rememberedOptions } from '../../src/app/rememberedOptions';
import { endedInStaging } from '../../src/deployment/snapshotReaders';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { DeploymentOptionSpec } from '../../src/providers/descriptor';
import type { DeploymentOptionValues } from '../../src/providers/provider';
import { optionRows, savedOptionsNote } from '../../src/ui/reviewModel';
import { toViewModel } from '../../src/ui/viewModel';
import { TARGET, deploymentInput, described, errors, executed, polls, stagedResults } from '../support/deploymentFixtures';
import { answerCall, failCall, settle, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { initialized, throughStaging } from '../support/gatedPaths';

const SPECS: DeploymentOptionSpec[] = [
  { id: 'adopt', label: 'Adopt existing', description: 'Adopts what exists.', kind: 'flag', default: false, appliesTo: 'always' },
  { id: 'undrift', label: 'Undrift', description: 'Only for updates.', kind: 'flag', default: false, appliesTo: 'update' },
  {
    id: 'onFailure',
    label: 'If the create fails',
    description: 'What a failed create leaves.',
    kind: 'choice',
    choices: [
      { value: 'ROLLBACK', label: 'Roll back' },
      { value: 'KEEP', label: 'Keep it' },
    ],
    default: 'ROLLBACK',
    appliesTo: 'create',
  },
];

function snap(d: GatedDeployment): DeploymentSnapshot {
  return d.actor.getSnapshot();
}

/** A create whose staged changes the provider refused (validation), cleaned up and ended. */
async function stagingFailed(options: DeploymentOptionValues = {}): Promise<GatedDeployment> {
  const d = startGatedDeployment(deploymentInput({ options }), { deploymentOptions: SPECS });
  await throughStaging(d, { condition: described.missing, result: stagedResults.failed });
  await settle();
  assert.equal(endedInStaging(snap(d)), false, 'not while what was staged is being removed');
  assert.equal(toViewModel(snap(d)).controls.deployAgain, false, 'no Deploy Again while cleaning up');
  await answerCall(d.gate, 'abortStaged');
  await settle();
  assert.equal(snap(d).value, 'failed');
  return d;
}

function memento() {
  const data = new Map<string, unknown>();
  return { data, get: (key: string) => data.get(key), update: (key: string, value: unknown) => Promise.resolve(void data.set(key, value)) };
}

describe('options after a failed staging', () => {
  it('are editable, show what is saved for the target, and Deploy Again is offered', async () => {
    const d = await stagingFailed();
    const model = toViewModel(snap(d));
    assert.equal(model.phase, 'final');
    assert.equal(model.final, 'failed');
    assert.equal(model.controls.deployAgain, true);
    assert.equal(model.controls.done, true);
    const rows = optionRows(snap(d), 'final', SPECS, { adopt: true }) ?? [];
    assert.deepEqual(
      rows.map((row) => [row.id, row.value, row.enabled, row.note]),
      [
        ['adopt', true, true, undefined],
        ['undrift', false, false, 'Applies only when updating an existing target.'],
        ['onFailure', 'ROLLBACK', true, undefined],
      ],
    );
    d.actor.stop();
  });

  it('say "Saved for <target>" once what is saved differs from what this deployment staged with', async () => {
    const d = await stagingFailed({ onFailure: 'KEEP' });
    assert.equal(savedOptionsNote(snap(d), { onFailure: 'KEEP' }, SPECS), undefined, 'nothing changed yet');
    assert.equal(savedOptionsNote(snap(d), undefined, SPECS), undefined);
    assert.equal(savedOptionsNote(snap(d), { onFailure: 'KEEP', adopt: true }, SPECS), `Saved for ${TARGET.name}; used when you deploy again.`);
    assert.equal(savedOptionsNote(snap(d), { onFailure: 'KEEP', adopt: false }, SPECS), undefined, 'a default spelled out is no change');
    d.actor.stop();
  });

  it('a stage call the provider refused ends the same way: nothing ran', async () => {
    const d = startGatedDeployment(deploymentInput(), { deploymentOptions: SPECS });
    await initialized(d);
    await answerCall(d.gate, 'describeTarget', described.ready);
    await failCall(d.gate, 'stage', errors.validation());
    await answerCall(d.gate, 'abortStaged');
    await settle();
    assert.equal(toViewModel(snap(d)).controls.deployAgain, true);
    assert.ok(optionRows(snap(d), 'final', SPECS)?.some((row) => row.enabled));
    d.actor.stop();
  });

  it('stay read-only, with no Deploy Again, in review, while running, and after a failure that executed', async () => {
    const d = startGatedDeployment(deploymentInput(), { deploymentOptions: SPECS });
    await throughStaging(d, { condition: described.missing });
    assert.equal(toViewModel(snap(d)).controls.deployAgain, false, 'the review has Execute instead');
    d.actor.send({ type: 'EXECUTE' });
    await answerCall(d.gate, 'execute', executed);
    assert.equal(toViewModel(snap(d)).controls.deployAgain, false);
    await answerCall(d.gate, 'poll', polls.failed);
    await answerCall(d.gate, 'abortStaged');
    await settle();
    const model = toViewModel(snap(d), 0, {}, { adopt: true });
    assert.equal(model.final, 'failed');
    assert.equal(model.controls.deployAgain, false);
    assert.ok(
      model.options?.every((row) => !row.enabled),
      'read-only: the changes ran with them',
    );
    assert.equal(model.optionsNote, undefined);
    assert.equal(optionRows(snap(d), 'final', SPECS, { adopt: true })?.[0]?.value, false, 'shows what it ran with, not what is saved');
    d.actor.stop();
  });

  it('stay read-only after an abort', async () => {
    const d = startGatedDeployment(deploymentInput(), { deploymentOptions: SPECS });
    await throughStaging(d, { condition: described.missing });
    d.actor.send({ type: 'ABORT' });
    await answerCall(d.gate, 'abortStaged');
    await settle();
    assert.equal(snap(d).value, 'aborted');
    assert.equal(toViewModel(snap(d)).controls.deployAgain, false);
    assert.ok(optionRows(snap(d), 'final', SPECS)?.every((row) => !row.enabled));
    d.actor.stop();
  });
});

describe('saving a changed option after a failed staging', () => {
  it('takes what the review would (known, valid, applies, differs) and remembers it for the target', async () => {
    const store = memento();
    assert.equal(await rememberOptionChange(store, TARGET, SPECS, 'create', { id: 'adopt', value: true }), true);
    assert.deepEqual(rememberedOptions(store, TARGET, SPECS), { adopt: true });
    assert.equal(await rememberOptionChange(store, TARGET, SPECS, 'create', { id: 'onFailure', value: 'KEEP' }), true);
    assert.deepEqual(rememberedOptions(store, TARGET, SPECS), { adopt: true, onFailure: 'KEEP' }, 'earlier choices are kept');
    assert.deepEqual(rememberedOptions(store, { ...TARGET, name: 'other' }, SPECS), {}, 'for this target only');
  });

  it('refuses an unknown id, an invalid value, one that does not apply, and the value already saved', async () => {
    const store = memento();
    await rememberOptionChange(store, TARGET, SPECS, 'create', { id: 'adopt', value: true });
    const refused = [
      { id: 'nope', value: true },
      { id: 'adopt', value: 'yes' },
      { id: 'onFailure', value: 'EXPLODE' },
      { id: 'undrift', value: true },
      { id: 'adopt', value: true },
    ];
    for (const change of refused) assert.equal(await rememberOptionChange(store, TARGET, SPECS, 'create', change), false, JSON.stringify(change));
    assert.deepEqual(rememberedOptions(store, TARGET, SPECS), { adopt: true });
    assert.equal(await rememberOptionChange(store, TARGET, SPECS, 'update', { id: 'undrift', value: true }), true, 'applies to an update');
  });
});
