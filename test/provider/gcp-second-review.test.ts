/**
 * Defects a second hostile review found in the Infrastructure Manager adapter, each through the
 * real googleapis client against im-sim (with the fault proxy where an answer must be bent), and
 * each checked against what im-sim holds afterwards.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OAuth2Client } from 'google-auth-library';
import { config_v1 } from 'googleapis/build/src/apis/config';
import { decodeStagedId } from '../../src/providers/gcp/names';
import type { OperationRef, ProviderError, TargetRef } from '../../src/providers/provider';
import type { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import type { FaultProxy } from '../../tools/fault-proxy/index';
import type { ImSim } from '../../tools/im-sim/index';
import { PARENT, isCode, signal, useGcpFaultBench } from '../support/gcpFaultBench';

const HTML_404 = { kind: 'httpStatus', status: 404, body: '<html><body><h1>404 Not Found</h1>nginx</body></html>', contentType: 'text/html' } as const;
const EMPTY_200 = { kind: 'httpStatus', status: 200, body: '{}', contentType: 'application/json' } as const;

describe('GCP adapter: second hostile review', () => {
  const bench = useGcpFaultBench('stackwatch-gcp-review2-');
  const { stage, planned, toEnd, deployed } = bench;
  let sim: ImSim;
  let proxy: FaultProxy;
  before(() => ({ sim, proxy } = bench));

  const setup = (name: string, blueprintFolder?: string) => bench.setup(name, { blueprintFolder, provider: { deps: { previewWaitMs: 10 } } });

  const resource = (name: string): string => `${PARENT}/deployments/${name}`;
  const deploymentOf = (name: string) => sim.deployments().find((d) => d.name === resource(name));
  const deletes = (name: string) => sim.requests().filter((r) => r.method === 'DELETE' && r.path.endsWith(`/deployments/${name}`));

  describe('1. a consent is about the deployment, in the state, it was given for', () => {
    it('force delete of a SUSPENDED deployment that a colleague has since made ACTIVE is refused; nothing is deleted', async () => {
      const { provider, target, deploymentId } = setup('consent-healed');
      await deployed(provider, target, deploymentId);
      sim.setDeploymentState(resource('consent-healed'), 'SUSPENDED');
      const described = await provider.describeTarget({ target, signal: signal() });
      assert.deepEqual(
        described.recoveryActions.map((a) => a.id),
        ['forceDelete'],
      );
      // Meanwhile a colleague fixed and re-applied it.
      sim.setDeploymentState(resource('consent-healed'), 'ACTIVE');
      await assert.rejects(
        provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-healed', targetId: described.targetId, signal: signal() }),
        isCode('Conflict', /no longer applies.*Nothing was changed; deploy again/),
      );
      assert.equal(deletes('consent-healed').length, 0, 'no delete was sent');
      assert.equal(deploymentOf('consent-healed')?.state, 'ACTIVE');
    });

    it('force delete of a locked deployment that a colleague has since unlocked is refused; nothing is deleted', async () => {
      const { provider, target, deploymentId } = setup('consent-unlocked');
      await deployed(provider, target, deploymentId);
      sim.lock(resource('consent-unlocked'));
      const described = await provider.describeTarget({ target, signal: signal() });
      assert.deepEqual(
        described.recoveryActions.map((a) => a.id),
        ['unlock', 'forceDelete'],
      );
      // A colleague's own unlock, from another window.
      await setup('consent-unlocked').provider.recover({ target, action: 'unlock', deploymentId: 'colleague', targetId: described.targetId, signal: signal() });
      await assert.rejects(
        provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-unlocked', targetId: described.targetId, signal: signal() }),
        isCode('Conflict', /no longer applies/),
      );
      await assert.rejects(
        provider.recover({ target, action: 'unlock', deploymentId: 'rec-unlocked-2', targetId: described.targetId, signal: signal() }),
        isCode('Conflict'),
      );
      assert.equal(deletes('consent-unlocked').length, 0);
      assert.equal(deploymentOf('consent-unlocked')?.state, 'ACTIVE');
    });

    it('a deployment deleted and created again under the same name is not the one agreed to: refused, nothing deleted', async () => {
      const { provider, target, deploymentId } = setup('consent-reborn');
      await deployed(provider, target, deploymentId);
      sim.setDeploymentState(resource('consent-reborn'), 'SUSPENDED');
      const described = await provider.describeTarget({ target, signal: signal() });
      assert.match(described.targetId ?? '', /@/, 'the targetId names the incarnation');
      // Someone else deleted it and created a new one under the same name, which is suspended too.
      const other = setup('consent-reborn');
      const gone = await other.provider.recover({ target, action: 'forceDelete', deploymentId: 'someone', signal: signal() });
      assert.equal((await toEnd(other.provider, target, gone.operation)).phase, 'succeeded');
      assert.equal(deploymentOf('consent-reborn'), undefined);
      sim.advance(30);
      await deployed(other.provider, target, 'someone-new', 'orders-data-new');
      sim.setDeploymentState(resource('consent-reborn'), 'SUSPENDED');
      const deletesBefore = deletes('consent-reborn').length;
      await assert.rejects(
        provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-reborn', targetId: described.targetId, signal: signal() }),
        isCode('Conflict', /the deployment you agreed to delete .* is gone; another one named consent-reborn exists now/i),
      );
      assert.equal(deletes('consent-reborn').length, deletesBefore, 'the new deployment was not deleted');
      assert.equal(deploymentOf('consent-reborn')?.state, 'SUSPENDED');
    });

    it('the consent still holding, a force delete of a locked deployment releases the lock and deletes it (and a retry after that is not refused)', async () => {
      const { provider, target, deploymentId } = setup('consent-holds');
      await deployed(provider, target, deploymentId);
      sim.lock(resource('consent-holds'));
      const described = await provider.describeTarget({ target, signal: signal() });
      const first = await provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-holds', targetId: described.targetId, signal: signal() });
      const again = await provider.recover({ target, action: 'forceDelete', deploymentId: 'rec-holds', targetId: described.targetId, signal: signal() });
      assert.equal(again.operation.operationName, first.operation.operationName);
      assert.equal((await toEnd(provider, target, first.operation)).phase, 'succeeded');
      assert.equal(deploymentOf('consent-holds'), undefined);
    });
  });

  describe('2. a bare 404 (not Google saying NOT_FOUND) decides nothing', () => {
    it('describeTarget: Transient, not "missing"', async () => {
      const { provider, target, deploymentId } = setup('bare-404');
      await deployed(provider, target, deploymentId);
      proxy.add({ match: { action: 'deployments.get' }, fault: HTML_404 });
      await assert.rejects(provider.describeTarget({ target, signal: signal() }), (error: unknown) => {
        isCode('Transient', /404 without Google's error body/)(error);
        assert.ok((error as ProviderError).retryable);
        return true;
      });
      assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'ready');
    });

    it('polling a delete: a bare 404 is not "deleted, succeeded"', async () => {
      const { provider, target, deploymentId } = setup('bare-404-delete');
      await deployed(provider, target, deploymentId);
      proxy.add({ match: { action: 'deployments.get' }, fault: HTML_404 });
      await assert.rejects(
        provider.poll({
          target,
          operation: { token: 't', targetId: resource('bare-404-delete'), startedAt: new Date().toISOString(), kind: 'delete' },
          signal: signal(),
        }),
        isCode('Transient'),
      );
      assert.equal(deploymentOf('bare-404-delete')?.state, 'ACTIVE');
    });

    it('findExecution: a bare 404 for the preview is not "gone"', async () => {
      const { provider, target, deploymentId } = setup('bare-404-preview');
      const staged = await stage(provider, target, deploymentId);
      await planned(provider, target, staged.stagedId);
      proxy.add({ match: { action: 'previews.get' }, fault: HTML_404 });
      await assert.rejects(provider.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }), isCode('Transient'));
      assert.deepEqual(await provider.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }), { state: 'notExecuted' });
    });

    it("Google's own NOT_FOUND still means missing", async () => {
      const { provider, target } = setup('really-missing');
      assert.equal((await provider.describeTarget({ target, signal: signal() })).condition, 'missing');
    });
  });

  describe('3. a well-formed but empty answer decides nothing', () => {
    it('findExecution after our apply: a deployment read of {} is Transient, not "gone"', async () => {
      const { provider, target, deploymentId } = setup('empty-deployment');
      const { stagedId } = await deployed(provider, target, deploymentId);
      proxy.add({ match: { action: 'deployments.get' }, fault: EMPTY_200 });
      await assert.rejects(provider.findExecution({ target, stagedId, deploymentId, signal: signal() }), isCode('Transient', /could not be read/));
      assert.equal((await provider.findExecution({ target, stagedId, deploymentId, signal: signal() })).state, 'executed');
    });

    it('findExecution before the apply: a preview read of {} is Transient, not "never applied"', async () => {
      const { provider, target, deploymentId } = setup('empty-preview');
      const staged = await stage(provider, target, deploymentId);
      await planned(provider, target, staged.stagedId);
      proxy.add({ match: { action: 'previews.get' }, fault: EMPTY_200 });
      await assert.rejects(
        provider.findExecution({ target, stagedId: staged.stagedId, deploymentId, signal: signal() }),
        isCode('Transient', /could not be read/),
      );
    });
  });

  /** Someone else's client (the console, gcloud): a plain googleapis client straight at im-sim. */
  function otherClient(): config_v1.Config {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: sim.token });
    return new config_v1.Config({ auth, rootUrl: sim.rootUrl });
  }

  /** Another client applies another blueprint to the deployment, keeping its labels (an update mask without labels). */
  async function theirApply(provider: GcpProvider, target: TargetRef, name: string): Promise<void> {
    const theirs = await stage(provider, target, 'their-blueprint', 'orders-data-theirs', 7);
    await planned(provider, target, theirs.stagedId);
    await otherClient().projects.locations.deployments.patch({
      name: resource(name),
      updateMask: 'terraformBlueprint',
      requestBody: {
        terraformBlueprint: { gcsSource: decodeStagedId(theirs.stagedId).gcs, inputValues: { bucket_name: { inputValue: 'orders-data-theirs' } } },
      },
    });
  }

  describe("4. someone else's later apply is never taken for ours", () => {
    it('findExecution after a later apply that kept our label: our own operation is followed, and it succeeded', async () => {
      const { provider, target, deploymentId } = setup('replaced-found');
      const { stagedId, operation } = await deployed(provider, target, deploymentId);
      await theirApply(provider, target, 'replaced-found');
      assert.equal(deploymentOf('replaced-found')?.state, 'UPDATING', 'their apply runs');
      const found = await provider.findExecution({ target, stagedId, deploymentId, signal: signal() });
      assert.equal(found.state, 'executed');
      assert.equal(
        found.state === 'executed' ? found.operation.operationName : undefined,
        operation.operationName,
        'our operation, found by the zip it applied',
      );
      const polled = await provider.poll({ target, operation: found.state === 'executed' ? found.operation : operation, signal: signal() });
      assert.equal(polled.phase, 'succeeded', 'our apply, not their running one');
    });

    it("when our operation cannot be found: phase 'unknown' (a later apply replaced ours), never the deployment's state", async () => {
      const { provider, target, deploymentId } = setup('replaced-lost');
      const { stagedId } = await deployed(provider, target, deploymentId);
      await theirApply(provider, target, 'replaced-lost');
      const ours = decodeStagedId(stagedId).gcs;
      // The operations list no longer shows our apply's zip (its record expired).
      proxy.add({ match: { action: 'operations.list' }, fault: { kind: 'rewrite', from: ours, to: 'gs://elsewhere/expired.zip' }, times: Infinity });
      const found = await provider.findExecution({ target, stagedId, deploymentId, signal: signal() });
      assert.equal(found.state, 'executed');
      assert.ok(found.state === 'executed' && !found.operation.operationName);
      sim.advance(60); // their apply ends
      assert.equal(deploymentOf('replaced-lost')?.state, 'ACTIVE');
      const polled = await provider.poll({ target, operation: found.state === 'executed' ? found.operation : ({} as OperationRef), signal: signal() });
      assert.equal(polled.phase, 'unknown');
      assert.match(polled.notice ?? '', /a later apply .* replaced it/);
    });
  });

  describe('5. an adopted preview is applied as what it was planned against, or not at all', () => {
    it('planned as a create, answer lost, the deployment created meanwhile: the retry refuses, and nothing is applied', async () => {
      const { provider, target, deploymentId } = setup('adopt-created');
      proxy.add({ match: { action: 'previews.create' }, fault: { kind: 'lostResponse' } });
      await assert.rejects(stage(provider, target, deploymentId), isCode('Transient'));
      // Someone else creates the deployment before the retry. (im-sim deletes a deployment's
      // previews when an apply starts, so the retry's reads are given that deployment instead.)
      const theirs = {
        name: resource('adopt-created'),
        state: 'ACTIVE',
        lockState: 'UNLOCKED',
        latestRevision: `${resource('adopt-created')}/revisions/r-1`,
        createTime: '2025-01-01T00:00:00Z',
      };
      proxy.add({
        match: { action: 'deployments.get' },
        fault: { kind: 'httpStatus', status: 200, body: JSON.stringify(theirs), contentType: 'application/json' },
        times: Infinity,
      });
      const patchesBefore = sim.requests().filter((r) => r.method === 'PATCH').length;
      await assert.rejects(stage(provider, target, deploymentId), isCode('Conflict', /planned as a create.*created by someone else.*Nothing was applied/));
      assert.equal(sim.requests().filter((r) => r.method === 'PATCH').length, patchesBefore, 'their deployment was not patched');
    });

    it('a retry with nothing moved adopts the preview as planned and applies it', async () => {
      const { provider, target, deploymentId } = setup('adopt-same');
      proxy.add({ match: { action: 'previews.create' }, fault: { kind: 'lostResponse' } });
      await assert.rejects(stage(provider, target, deploymentId), isCode('Transient'));
      const retried = await stage(provider, target, deploymentId);
      assert.equal(decodeStagedId(retried.stagedId).create, true);
      await planned(provider, target, retried.stagedId);
      const { operation } = await provider.execute({ target, stagedId: retried.stagedId, deploymentId, signal: signal() });
      assert.equal((await toEnd(provider, target, operation)).phase, 'succeeded');
    });
  });

  describe("6. someone else's cancel of our apply is told as such", () => {
    async function cancelled(name: string, byUs: boolean): Promise<Awaited<ReturnType<GcpProvider['poll']>>> {
      const { provider, target, deploymentId } = setup(name);
      const staged = await stage(provider, target, deploymentId);
      await planned(provider, target, staged.stagedId);
      const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal: signal() });
      if (byUs) await provider.stop({ target, operation, deploymentId, signal: signal() });
      else await otherClient().projects.locations.operations.cancel({ name: operation.operationName ?? '', requestBody: {} });
      return toEnd(provider, target, operation);
    }

    it('a cancel from another client: the poll says so in its notice', async () => {
      const polled = await cancelled('cancel-theirs', false);
      assert.equal(polled.phase, 'cancelled', 'the phase stays what the operation says');
      assert.match(polled.notice ?? '', /cancelled by someone else/);
    });

    it('our own Stop: no such notice', async () => {
      const polled = await cancelled('cancel-ours', true);
      assert.equal(polled.phase, 'cancelled');
      assert.doesNotMatch(polled.notice ?? '', /someone else/);
    });
  });

  describe('7. "no changes" only when nothing at all changes', () => {
    let outputsOnly: string;
    before(async () => {
      outputsOnly = await mkdtemp(join(tmpdir(), 'stackwatch-gcp-outputs-'));
    });
    after(() => rm(outputsOnly, { recursive: true, force: true }));
    const writeOutput = (value: string) =>
      writeFile(join(outputsOnly, 'main.tf'), `variable "bucket_name" {\n  type = string\n}\n\noutput "greeting" {\n  value = "${value}"\n}\n`);

    it('a create of a deployment with no resources is not "no changes"', async () => {
      await writeOutput('hello');
      const { provider, target, deploymentId } = setup('empty-create', outputsOnly);
      const staged = await planned(provider, target, (await stage(provider, target, deploymentId)).stagedId);
      assert.equal(staged.state, 'ready');
      assert.deepEqual(
        staged.changes.map((c) => [c.logicalId, c.action]),
        [['empty-create', 'Add']],
      );
    });

    it('a blueprint that changes only an output is not "no changes"; the same blueprint and inputs again is', async () => {
      await writeOutput('hello');
      const { provider, target, deploymentId } = setup('outputs-only', outputsOnly);
      await deployed(provider, target, deploymentId);
      await writeOutput('goodbye');
      const changed = await planned(provider, target, (await stage(provider, target, 'second')).stagedId);
      assert.equal(changed.state, 'ready');
      assert.deepEqual(
        changed.changes.map((c) => c.action),
        ['Modify'],
      );
      assert.match(changed.changes[0]?.details?.[0] ?? '', /outputs may change/);

      await writeOutput('hello');
      const same = await planned(provider, target, (await stage(provider, target, 'third')).stagedId);
      assert.equal(same.state, 'empty');
    });
  });
});
