/**
 * A consent to release a lock is about the lock it named (issue 10, item 7: "that can commit
 * someone's half-edited state"). Through the real googleapis client against im-sim:
 * - Unlock releases the lock the consent showed, never one someone took since;
 * - the unlock before a force delete follows the same rule;
 * - a "Delete and recreate" consent that mentioned no lock releases no lock taken since;
 * - a lock held by a preview still planning (Stackwatch's own delete preview) is waited for, never released.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isCode, signal, useGcpFaultBench } from '../support/gcpFaultBench';

describe('GCP adapter: a consent releases only the lock it named', () => {
  const bench = useGcpFaultBench('stackwatch-gcp-lock-consent-');
  const { resource, deploymentOf, direct } = bench;
  const unlocks = (name: string) => bench.requestsOn(name, 'POST', ':unlock');
  const deletes = (name: string) => bench.requestsOn(name, 'DELETE');

  /** Whoever holds the lock now finishes (unlocks with its ID), and `who` takes a new one. */
  async function relockedBy(name: string, who: string): Promise<string> {
    const im = direct();
    const { data: before } = await im.projects.locations.deployments.exportLock({ name: resource(name) });
    await im.projects.locations.deployments.unlock({ name: resource(name), requestBody: { lockId: before.lockId } });
    bench.sim.lock(resource(name), { who, info: 'importing edited state', operation: 'OperationTypeImport' });
    const { data: after } = await im.projects.locations.deployments.exportLock({ name: resource(name) });
    assert.notEqual(after.lockId, before.lockId, 'a new lock, with a new ID');
    return after.lockId ?? '';
  }

  /** Deployed, then locked by alice; described as the consent shows it. */
  async function aliceLocked(name: string) {
    const setup = bench.setup(name);
    await bench.deployed(setup.provider, setup.target, setup.deploymentId);
    bench.sim.lock(resource(name), { who: 'alice@laptop', info: 'done editing soon', operation: 'OperationTypeApply' });
    const described = await setup.provider.describeTarget({ target: setup.target, signal: signal() });
    assert.equal(described.condition, 'unrecoverable');
    assert.match(described.recoveryActions.find((a) => a.id === 'unlock')?.description ?? '', /held by alice@laptop/);
    return { ...setup, described };
  }

  /** Deployed, then a delete of it failed (DELETE_BUILD_API_FAILED): FAILED, unlocked, Delete and recreate offered. */
  async function failedDelete(name: string) {
    const setup = bench.setup(name);
    await bench.deployed(setup.provider, setup.target, setup.deploymentId);
    bench.sim.failNextDelete(resource(name), { errorCode: 'DELETE_BUILD_API_FAILED' });
    await direct().projects.locations.deployments.delete({ name: resource(name), force: true });
    for (let i = 0; i < 30 && deploymentOf(name)?.state !== 'FAILED'; i++) bench.sim.advance(1);
    const described = await setup.provider.describeTarget({ target: setup.target, signal: signal() });
    assert.equal(described.condition, 'unrecoverable');
    const deleteAction = described.recoveryActions.find((a) => a.id === 'delete');
    assert.ok(deleteAction, 'Delete and recreate is offered');
    assert.doesNotMatch(deleteAction.description, /Terraform lock|held by/i, 'the consent mentions no lock to release');
    return { ...setup, described };
  }

  it('Unlock: alice’s lock was agreed to, bob locked since; recover releases nothing (RECOVERY_NOT_APPLICABLE) and bob keeps his lock', async () => {
    const { provider, target, described } = await aliceLocked('lock-swapped');
    const bobs = await relockedBy('lock-swapped', 'bob@desk');
    const before = unlocks('lock-swapped').length;
    await assert.rejects(
      provider.recover({ target, action: 'unlock', deploymentId: 'rec-swapped', targetId: described.targetId, signal: signal() }),
      (error: unknown) =>
        isCode(
          'Conflict',
          /Releasing the lock no longer applies: you agreed to release lock ID \d+.*held by bob@desk.*Nothing was changed; deploy again to see where it stands/,
        )(error) && (error as { details: { providerCode?: string } }).details.providerCode === 'RECOVERY_NOT_APPLICABLE',
    );
    assert.equal(unlocks('lock-swapped').length, before, 'no unlock sent');
    const { data: now } = await direct().projects.locations.deployments.exportLock({ name: resource('lock-swapped') });
    assert.deepEqual([now.who, now.lockId], ['bob@desk', bobs], 'bob still holds his lock');

    // Asked again, the consent names bob's lock, and releasing that one is what happens.
    const again = await provider.describeTarget({ target, signal: signal() });
    assert.match(again.recoveryActions.find((a) => a.id === 'unlock')?.description ?? '', new RegExp(`held by bob@desk.*lock ID ${bobs}`));
    await provider.recover({ target, action: 'unlock', deploymentId: 'rec-swapped-2', targetId: again.targetId, signal: signal() });
    assert.equal(deploymentOf('lock-swapped')?.lockState, 'UNLOCKED');
  });

  it('Delete and recreate on a locked deployment: a lock taken since the consent is not released, and nothing is deleted', async () => {
    const { provider, target, described } = await aliceLocked('force-swapped');
    await relockedBy('force-swapped', 'bob@desk');
    const before = unlocks('force-swapped').length;
    await assert.rejects(
      provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-force-swapped', targetId: described.targetId, signal: signal() }),
      isCode('Conflict', /Deleting it no longer applies: you agreed to release lock ID \d+.*held by bob@desk.*Nothing was changed/),
    );
    assert.equal(unlocks('force-swapped').length, before, 'no unlock sent');
    assert.equal(deletes('force-swapped').length, 0, 'nothing deleted');
    assert.deepEqual([deploymentOf('force-swapped')?.state, deploymentOf('force-swapped')?.lockState], ['ACTIVE', 'LOCKED']);
  });

  it('a force delete whose own unlock went through, retried after someone locked it again, does not release the new lock', async () => {
    const { provider, target, described } = await aliceLocked('force-relocked');
    bench.sim.setLockSeconds('unlock', 30);
    const recover = () => provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-relocked', targetId: described.targetId, signal: signal() });
    await assert.rejects(recover(), isCode('Transient', /still being released/));
    bench.sim.advance(30);
    bench.sim.lock(resource('force-relocked'), { who: 'carol@desk', info: 'repairing state', operation: 'OperationTypeImport' });
    await assert.rejects(recover(), isCode('Conflict', /no longer applies.*held by carol@desk/));
    assert.equal(unlocks('force-relocked').length, 1, 'only the agreed lock was released');
    assert.equal(deletes('force-relocked').length, 0, 'nothing deleted');
  });

  it('Delete and recreate agreed with no lock: carol locks it since to repair state; recover neither unlocks nor deletes', async () => {
    const { provider, target, described } = await failedDelete('del-carol');
    bench.sim.lock(resource('del-carol'), { who: 'carol@desk', info: 'repairing state after the failed delete', operation: 'OperationTypeImport' });
    const deletesBefore = deletes('del-carol').length;
    await assert.rejects(
      provider.recover({ target, action: 'delete', deploymentId: 'rec-carol', targetId: described.targetId, signal: signal() }),
      isCode(
        'Conflict',
        /Deleting it no longer applies: del-carol was not locked when you agreed to delete it.*held by carol@desk.*Nothing was changed; deploy again/,
      ),
    );
    assert.equal(unlocks('del-carol').length, 0, 'no unlock sent');
    assert.equal(deletes('del-carol').length, deletesBefore, 'not deleted again');
    assert.deepEqual([deploymentOf('del-carol')?.state, deploymentOf('del-carol')?.lockState], ['FAILED', 'LOCKED']);
  });

  it('Stackwatch’s own delete preview still planning holds the lock: recover waits (Transient), releasing and deleting nothing; deletes once it is done', async () => {
    const { provider, target, deploymentId, described } = await failedDelete('del-preview');
    const plan = await provider.describeRecovery({ target, action: 'delete', deploymentId, targetId: described.targetId, signal: signal() });
    assert.equal(plan.planning, true, 'the delete preview is planning');
    // Into its plan: past LOCKING_DEPLOYMENT, before UNLOCKING_DEPLOYMENT.
    bench.sim.advance(2);
    assert.equal(deploymentOf('del-preview')?.lockState, 'LOCKED', 'the delete preview holds the lock');
    const deletesBefore = deletes('del-preview').length;
    const recover = () => provider.recover({ target, action: 'delete', deploymentId, targetId: described.targetId, signal: signal() });
    await assert.rejects(
      recover(),
      (error: unknown) =>
        isCode('Transient', /Waiting for the delete preview sw-.*-del-.* to release the lock on del-preview.*Nothing was unlocked or deleted/)(error) &&
        (error as { details: { providerCode?: string } }).details.providerCode === 'PREVIEW_HOLDS_LOCK',
    );
    assert.equal(unlocks('del-preview').length, 0, 'the preview’s lock was not released under its plan');
    assert.equal(deletes('del-preview').length, deletesBefore, 'nothing deleted');

    bench.sim.advance(5);
    assert.equal(deploymentOf('del-preview')?.lockState, 'UNLOCKED', 'the preview released its lock itself');
    const { operation } = await recover();
    assert.equal(operation.kind, 'delete');
    assert.equal(unlocks('del-preview').length, 0);
    assert.equal(deletes('del-preview').length, deletesBefore + 1);
  });
});
