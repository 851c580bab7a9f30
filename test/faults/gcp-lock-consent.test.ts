/**
 * Fault matrix, Google Cloud: the lock changes hands between the consent and the recovery (issue
 * 10, item 7). The real machine, adapter and googleapis client through the fault proxy to im-sim.
 * The consent showed alice's lock; alice finishes and bob locks the deployment to import edited
 * state before the person answers. Neither Unlock nor Delete and recreate releases bob's lock:
 * the run ends failed with "no longer applies", nothing is unlocked, deleted or deployed.
 */
import { beforeEach, describe, it } from 'node:test';
import { Findings, GCP_PARENT, checkGcp, describeEnd, seedGcp, startGcp, useGcpRig, waitForEnd, waitForState } from '../support/faultHarness';
import { GCP_MAIN } from './templates';

describe('fault matrix: Google Cloud, a lock taken after the consent', () => {
  const { rig, nextId } = useGcpRig({ 'main.tf': GCP_MAIN() });
  // A sim setting reset() keeps: unlocks are immediate here, whatever an earlier file set.
  beforeEach(() => rig.sim.setLockSeconds('unlock', 0));

  const resource = (id: string): string => `${GCP_PARENT}/deployments/${id}`;
  const count = (id: string, method: string, suffix: string): number =>
    rig.requests().filter((r) => r.method === method && r.path.endsWith(`/deployments/${id}${suffix}`)).length;

  for (const action of ['unlock', 'forceDelete'] as const) {
    it(`${action}: the consent named alice's lock, bob locked it since; bob's lock is kept, nothing deleted or deployed`, async () => {
      const id = nextId(`g-lock-swap-${action.toLowerCase()}`);
      await seedGcp(rig, id);
      rig.sim.lock(resource(id), { who: 'alice@laptop', info: 'state surgery', operation: 'OperationTypeApply' });
      await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'v2' }) });
      const run = startGcp(rig, id);
      await waitForState(run.rec, 'awaitingConsent');

      // Alice finishes; bob locks it to import edited state, before the person answers.
      const { data: alices } = await rig.direct.projects.locations.deployments.exportLock({ name: resource(id) });
      await rig.direct.projects.locations.deployments.unlock({ name: resource(id), requestBody: { lockId: alices.lockId } });
      rig.sim.lock(resource(id), { who: 'bob@desk', info: 'importing edited state', operation: 'OperationTypeImport' });
      const { data: bobs } = await rig.direct.projects.locations.deployments.exportLock({ name: resource(id) });
      const unlocksBefore = count(id, 'POST', ':unlock');

      run.rec.session.send({ type: 'CONSENT', action });
      const end = await waitForEnd(run.rec, 30_000);
      const findings = new Findings();
      const message = end.context.error?.message ?? '';
      findings.check(
        /no longer applies.*held by bob@desk.*Nothing was changed/.test(message),
        `the reason is not "no longer applies, held by bob": "${message}"`,
      );
      findings.check(
        count(id, 'POST', ':unlock') === unlocksBefore,
        `${count(id, 'POST', ':unlock') - unlocksBefore} unlocks sent after the consent, expected 0`,
      );
      findings.check(count(id, 'DELETE', '') === 0, `${count(id, 'DELETE', '')} deletes sent, expected 0`);
      // exportLock answers NotFound when no lock is held: bob's lock was released.
      const now = await rig.direct.projects.locations.deployments.exportLock({ name: resource(id) }).then(
        (r) => r.data,
        () => undefined,
      );
      findings.check(
        now?.lockId === bobs.lockId && now?.who === 'bob@desk',
        `the lock is now ${now ? `${now.who ?? '?'} ${now.lockId ?? '?'}` : 'released'}, expected bob's ${bobs.lockId ?? '?'}`,
      );
      await checkGcp(rig, run.rec, { deploymentName: id, outcome: 'failed', deploymentState: 'ACTIVE', applies: 0, keepsBlueprint: false }, findings);
      run.rec.dispose();
      findings.done(describeEnd(run.rec));
    });
  }
});
