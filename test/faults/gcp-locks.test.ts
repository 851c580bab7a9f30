/**
 * Fault matrix, Google Cloud locks (issue 10, item 3): the real machine, adapter and googleapis
 * client through the fault proxy to im-sim, on a deployment someone locked. A consented Unlock
 * whose operation ends UNLOCK_FAILED ends failed with that reason and deploys nothing; a slow
 * unlock (it validates the uploaded state) is followed to its end, also when its answer was lost;
 * a consented force delete waits for the lock's release before deleting.
 */
import { beforeEach, describe, it } from 'node:test';
import {
  Findings,
  GCP_PARENT,
  checkGcp,
  describeEnd,
  seedGcp,
  startGcp,
  useGcpRig,
  waitForEnd,
  waitForState,
  type GcpExpectations,
  type GcpRun,
} from '../support/faultHarness';
import { GCP_MAIN } from './templates';

describe('fault matrix: Google Cloud locks', () => {
  const { rig, nextId } = useGcpRig({ 'main.tf': GCP_MAIN() });
  // A sim setting reset() keeps: tests that slow unlocks down must not slow the next one.
  beforeEach(() => rig.sim.setLockSeconds('unlock', 0));
  const resource = (id: string): string => `${GCP_PARENT}/deployments/${id}`;
  const unlocks = (id: string): number => rig.requests().filter((r) => r.method === 'POST' && r.path.endsWith(`/deployments/${id}:unlock`)).length;

  async function finish(run: GcpRun, expected: GcpExpectations, findings = new Findings()): Promise<void> {
    await waitForEnd(run.rec);
    await checkGcp(rig, run.rec, expected, findings);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  }

  /** A deployment Stackwatch made, then locked by someone; a new deploy waits for consent, which is given. */
  async function consentOnLocked(prefix: string, action: 'unlock' | 'forceDelete', unlockSeconds: number): Promise<{ id: string; run: GcpRun }> {
    const id = nextId(prefix);
    await seedGcp(rig, id);
    rig.sim.lock(resource(id), { who: 'alice@laptop', info: 'state surgery', operation: 'OperationTypeApply' });
    rig.sim.setLockSeconds('unlock', unlockSeconds);
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'v2' }) });
    const run = startGcp(rig, id);
    await waitForState(run.rec, 'awaitingConsent');
    run.rec.session.send({ type: 'CONSENT', action });
    return { id, run };
  }

  it('unlock failure: a consented Unlock whose operation ends UNLOCK_FAILED ends failed with that reason; nothing deployed', async () => {
    const id = nextId('g-unlock-fails');
    await seedGcp(rig, id);
    rig.sim.lock(resource(id));
    rig.sim.setLockSeconds('unlock', 20);
    rig.sim.failNextLockChange(resource(id), 'unlock');
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'v2' }) });
    const run = startGcp(rig, id);
    await waitForState(run.rec, 'awaitingConsent');
    run.rec.session.send({ type: 'CONSENT', action: 'unlock' });
    const findings = new Findings();
    const end = await waitForEnd(run.rec, 30_000);
    findings.check(/UNLOCK_FAILED/.test(end.context.error?.message ?? ''), `the reason is not the failed unlock: "${end.context.error?.message ?? ''}"`);
    findings.check(unlocks(id) === 1, `${unlocks(id)} unlocks sent, expected 1`);
    const lockState = rig.sim.deployments().find((d) => d['name'] === resource(id))?.['lockState'];
    findings.check(lockState === 'UNLOCK_FAILED', `lock state ${String(lockState)}`);
    await finish(run, { deploymentName: id, outcome: 'failed', deploymentState: 'ACTIVE', applies: 0, keepsBlueprint: false }, findings);
  });

  it('a slow unlock is followed to its end, not refused as "a run in progress"; then deploys once', async () => {
    const { id, run } = await consentOnLocked('g-unlock-slow', 'unlock', 40);
    const findings = new Findings();
    const end = await waitForEnd(run.rec, 30_000);
    findings.check(!/a run is in progress/.test(end.context.error?.message ?? ''), `refused: ${end.context.error?.message ?? ''}`);
    findings.check(unlocks(id) === 1, `${unlocks(id)} unlocks sent, expected 1`);
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
  });

  const lostUnlockAnswers = [
    { name: 'lost deployments.unlock answer on a slow unlock: the retry joins the unlock under way; deploys once', prefix: 'g-unlock-lost', unlockSeconds: 40 },
    {
      name: 'lost deployments.unlock answer on a quick unlock: the retry sees its own release, not "no longer applies"; deploys once',
      prefix: 'g-unlock-lost-quick',
      unlockSeconds: 0,
    },
  ];
  for (const { name, prefix, unlockSeconds } of lostUnlockAnswers) {
    it(name, async () => {
      rig.proxy.add({ match: { action: 'deployments.unlock' }, fault: { kind: 'lostResponse' } });
      const { id, run } = await consentOnLocked(prefix, 'unlock', unlockSeconds);
      const findings = new Findings();
      await waitForEnd(run.rec, 30_000);
      findings.check(unlocks(id) === 1, `${unlocks(id)} unlocks sent, expected 1`);
      await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
    });
  }

  it('a consented force delete of a locked deployment waits for the slow unlock, then deletes and recreates', async () => {
    const { id, run } = await consentOnLocked('g-force-slow', 'forceDelete', 30);
    const findings = new Findings();
    await waitForEnd(run.rec, 40_000);
    findings.check(unlocks(id) === 1, `${unlocks(id)} unlocks sent, expected 1`);
    await finish(
      run,
      { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true, consentedDelete: true },
      findings,
    );
  });
});
