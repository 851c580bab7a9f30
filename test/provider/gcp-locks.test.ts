/**
 * Deployment locks through the real googleapis client against im-sim (issue 10, items 3 and 7):
 * an unlock is an operation whose failure is in its answer (lockState UNLOCK_FAILED), it can take
 * long (it validates the uploaded state), and a lock is shown for what it is (whose, since when,
 * for what) before anyone agrees to release it; a preview planning under it is in progress.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { OperationRef } from '../../src/providers/provider';
import { PARENT, isCode, signal, useGcpFaultBench } from '../support/gcpFaultBench';

describe('GCP adapter: deployment locks', () => {
  const bench = useGcpFaultBench('stackwatch-gcp-locks-');
  const { resource, deploymentOf, direct } = bench;
  const unlocks = (name: string) => bench.requestsOn(name, 'POST', ':unlock');
  const deletes = (name: string) => bench.requestsOn(name, 'DELETE');

  /** A deployed, then locked deployment, with unlocks taking `unlockSeconds` simulated seconds. */
  async function lockedDeployment(name: string, unlockSeconds = 0) {
    const setup = bench.setup(name);
    await bench.deployed(setup.provider, setup.target, setup.deploymentId);
    bench.sim.lock(resource(name));
    bench.sim.setLockSeconds('unlock', unlockSeconds);
    const described = await setup.provider.describeTarget({ target: setup.target, signal: signal() });
    assert.equal(described.condition, 'unrecoverable');
    return { ...setup, described };
  }

  describe('3. an unlock is followed as the operation it is', () => {
    it('an unlock that ends UNLOCK_FAILED (a done operation without an error) is a failure with that reason, not a success', async () => {
      const { provider, target, described } = await lockedDeployment('unlock-fails');
      bench.sim.failNextLockChange(resource('unlock-fails'), 'unlock');
      await assert.rejects(
        provider.recover({ target, action: 'unlock', deploymentId: 'rec-fails', targetId: described.targetId, signal: signal() }),
        isCode('Conflict', /could not release the Terraform lock on unlock-fails \(lock state UNLOCK_FAILED\).*still held and nothing was deployed/),
      );
      assert.equal(deploymentOf('unlock-fails')?.lockState, 'UNLOCK_FAILED');
    });

    it('a slow unlock: recover returns its operation, describeTarget is in progress (RUNNING_TF_VALIDATE), poll reads the lock outcome', async () => {
      const { provider, target, described } = await lockedDeployment('unlock-slow', 120);
      const { operation } = await provider.recover({ target, action: 'unlock', deploymentId: 'rec-slow', targetId: described.targetId, signal: signal() });
      assert.ok(operation.operationName, 'the unlock operation is returned to be followed');
      const during = await provider.describeTarget({ target, signal: signal() });
      assert.equal(during.condition, 'inProgress');
      assert.deepEqual(during.recoveryActions, []);
      assert.match(during.statusReason ?? '', /Releasing the Terraform lock on unlock-slow \(step RUNNING_TF_VALIDATE\)/);
      const polled = await provider.poll({ target, operation, signal: signal() });
      assert.equal(polled.phase, 'inProgress');
      assert.equal(polled.providerStatus, 'RUNNING_TF_VALIDATE');

      bench.sim.advance(120);
      const ended = await provider.poll({ target, operation, signal: signal() });
      assert.deepEqual([ended.phase, ended.providerStatus], ['succeeded', 'UNLOCKED']);
      assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'ready');
      assert.equal(unlocks('unlock-slow').length, 1);
    });

    it('poll of an unlock that ends UNLOCK_FAILED is failed with the reason (the operation itself has no error)', async () => {
      const { provider, target, described } = await lockedDeployment('unlock-poll-fails', 30);
      bench.sim.failNextLockChange(resource('unlock-poll-fails'), 'unlock');
      const { operation } = await provider.recover({ target, action: 'unlock', deploymentId: 'rec-poll', targetId: described.targetId, signal: signal() });
      bench.sim.advance(30);
      const ended = await provider.poll({ target, operation, signal: signal() });
      assert.equal(ended.phase, 'failed');
      assert.equal(ended.providerStatus, 'UNLOCK_FAILED');
      assert.match(ended.statusReason ?? '', /UNLOCK_FAILED/);
    });

    it('the machine’s next look after a slow unlock that failed ends it with the reason, once', async () => {
      const { provider, target, described } = await lockedDeployment('unlock-told', 30);
      bench.sim.failNextLockChange(resource('unlock-told'), 'unlock');
      await provider.recover({ target, action: 'unlock', deploymentId: 'rec-told', targetId: described.targetId, signal: signal() });
      bench.sim.advance(30);
      await assert.rejects(provider.describeTarget({ target, signal: signal() }), isCode('Conflict', /UNLOCK_FAILED/));
      // Told once: a later look offers the way out again, saying the last unlock failed.
      const again = await provider.describeTarget({ target, signal: signal() });
      assert.equal(again.condition, 'unrecoverable');
      assert.match(again.statusReason ?? '', /An earlier unlock of it failed/);
    });

    it('a retry of the unlock that finds it UNLOCKING follows it instead of refusing, in this window and in a new one', async () => {
      const { provider, target, described } = await lockedDeployment('unlock-retry', 60);
      const first = await provider.recover({ target, action: 'unlock', deploymentId: 'rec-retry', targetId: described.targetId, signal: signal() });
      const retried = await provider.recover({ target, action: 'unlock', deploymentId: 'rec-retry', targetId: described.targetId, signal: signal() });
      assert.equal(retried.operation.operationName, first.operation.operationName);
      // The first answer lost, a new window: it cannot know the operation, and still follows.
      const fresh = bench.setup('unlock-retry');
      bench.sim.failNextLockChange(resource('unlock-retry'), 'unlock');
      const joined = await fresh.provider.recover({ target, action: 'unlock', deploymentId: 'rec-retry', targetId: described.targetId, signal: signal() });
      assert.equal(joined.operation.kind, 'unknown');
      assert.equal(unlocks('unlock-retry').length, 1, 'one unlock sent');
      assert.equal((await fresh.provider.describeTarget({ target, signal: signal() })).condition, 'inProgress');
      bench.sim.advance(60);
      await assert.rejects(fresh.provider.describeTarget({ target, signal: signal() }), isCode('Conflict', /UNLOCK_FAILED/));
    });

    it('a force delete waits for a slow unlock (retryable, nothing deleted), then deletes; a failed one is not deleted over', async () => {
      const slow = await lockedDeployment('force-slow', 45);
      const recover = () =>
        slow.provider.recover({ target: slow.target, action: 'forceDelete', deploymentId: 'rec-force', targetId: slow.described.targetId, signal: signal() });
      await assert.rejects(recover(), isCode('Transient', /still being released/));
      await assert.rejects(recover(), isCode('Transient', /still being released/));
      assert.equal(deletes('force-slow').length, 0, 'nothing deleted while the lock is being released');
      bench.sim.advance(45);
      const { operation } = await recover();
      assert.equal(operation.kind, 'delete');
      assert.equal(deletes('force-slow').length, 1);
      assert.equal(unlocks('force-slow').length, 1);

      const failing = await lockedDeployment('force-fails', 45);
      bench.sim.failNextLockChange(resource('force-fails'), 'unlock');
      const again = () =>
        failing.provider.recover({
          target: failing.target,
          action: 'forceDelete',
          deploymentId: 'rec-force-2',
          targetId: failing.described.targetId,
          signal: signal(),
        });
      await assert.rejects(again(), isCode('Transient'));
      bench.sim.advance(45);
      await assert.rejects(again(), isCode('Conflict', /UNLOCK_FAILED.*force-fails was not deleted/));
      assert.equal(deletes('force-fails').length, 0);
      assert.equal(deploymentOf('force-fails')?.state, 'ACTIVE');
    });

    it('a lock operation that ends LOCK_FAILED polls as failed; a deployment whose lock failed holds no lock and is ready', async () => {
      const { provider, target, deploymentId } = bench.setup('lock-fails');
      await bench.deployed(provider, target, deploymentId);
      bench.sim.failNextLockChange(resource('lock-fails'), 'lock');
      const { data: lockOp } = await direct().projects.locations.deployments.lock({ name: resource('lock-fails'), requestBody: {} });
      assert.equal(lockOp.error, undefined, 'the operation itself has no error');
      const operation: OperationRef = {
        operationName: lockOp.name ?? '',
        targetId: resource('lock-fails'),
        startedAt: new Date().toISOString(),
        kind: 'unknown',
      };
      const polled = await provider.poll({ target, operation, signal: signal() });
      assert.deepEqual([polled.phase, polled.providerStatus], ['failed', 'LOCK_FAILED']);
      assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'ready');
    });
  });

  describe('7. a lock is shown for what it is', () => {
    it('a deliberate lock: who holds it, since when, for what, and the risk, in the reason and in both consents', async () => {
      const { provider, target, deploymentId } = bench.setup('lock-alice');
      await bench.deployed(provider, target, deploymentId);
      bench.sim.lock(resource('lock-alice'), { who: 'alice@laptop', info: 'moving the bucket to a new module', operation: 'OperationTypeApply' });
      const { data: info } = await direct().projects.locations.deployments.exportLock({ name: resource('lock-alice') });
      const described = await provider.describeTarget({ target, signal: signal() });
      assert.equal(described.condition, 'unrecoverable');
      const holder = `held by alice@laptop since ${info.createTime ?? '?'} for OperationTypeApply "moving the bucket to a new module" (lock ID ${info.lockId ?? '?'})`;
      assert.ok(described.statusReason?.includes(holder), described.statusReason);
      const unlock = described.recoveryActions.find((a) => a.id === 'unlock')?.description ?? '';
      const force = described.recoveryActions.find((a) => a.id === 'forceDelete')?.description ?? '';
      for (const description of [unlock, force]) {
        assert.ok(description.includes(holder), description);
        assert.match(description, /usually taken on purpose.*half-edited/);
      }
      assert.doesNotMatch(unlock + force, /crash(ed)? run's|left by a crashed/i, 'not called a crashed run');
    });

    it('a preview planning against the deployment holds its lock: in progress ("a preview is planning"), not a stuck lock; ready after', async () => {
      const { provider, target, deploymentId } = bench.setup('lock-preview');
      await bench.deployed(provider, target, deploymentId);
      const { data: previewOp } = await direct().projects.locations.previews.create({
        parent: PARENT,
        previewId: 'someone-elses-plan',
        requestBody: { deployment: resource('lock-preview') },
      });
      // Into the plan: past LOCKING_DEPLOYMENT (4th of 7 steps over 3 s), before UNLOCKING_DEPLOYMENT.
      bench.sim.advance(2);
      assert.equal(deploymentOf('lock-preview')?.lockState, 'LOCKED');
      const { data: info } = await direct().projects.locations.deployments.exportLock({ name: resource('lock-preview') });
      assert.equal(info.operation, previewOp.name, "the lock names the preview's operation");
      const during = await provider.describeTarget({ target, signal: signal() });
      assert.equal(during.condition, 'inProgress');
      assert.deepEqual(during.recoveryActions, []);
      assert.match(during.statusReason ?? '', /A preview is planning against lock-preview \(someone-elses-plan/);
      bench.sim.advance(2);
      assert.equal((await direct().projects.locations.previews.get({ name: `${PARENT}/previews/someone-elses-plan` })).data.state, 'SUCCEEDED');
      assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'ready');
    });
  });
});
