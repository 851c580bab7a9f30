/**
 * The consent lists what the destructive way out destroys, and never waits for the list:
 * - the list is read while the person reads (the answers work at once), shown as soon as the
 *   first answer comes, and replaced by the planned delete when the provider has planned it;
 * - a list that cannot be read says so and holds nothing up;
 * - what listing started (a delete preview) is removed before the recovery runs, and at any end;
 * - a provider without the call (AWS) shows no list and removes nothing;
 * - a window reloaded during the consent lists again (also from a snapshot saved before lists).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SimulatedClock } from 'xstate';
import { MAX_RECOVERY_PLAN_CHECKS } from '../../src/deployment/machine';
import { RECOVERY_POLL_MS } from '../../src/deployment/pollCadence';
import { DeploymentSession, SNAPSHOT_VERSION } from '../../src/deployment/session';
import type { DescribeRecoveryRequest, DescribeRecoveryResult, DescribeTargetResult } from '../../src/providers/provider';
import { CONSENT_DESTROYS_SHOWN, toViewModel } from '../../src/ui/viewModel';
import { INITIALIZED, MemorySnapshotStore, TARGET, deploymentInput, described, errors, recovered, recoveryPlans } from '../support/deploymentFixtures';
import {
  CallGate,
  answerCall,
  failCall,
  gatedProvider,
  gatedWorkspace,
  settle,
  stallCall,
  startGatedDeployment,
  type GatedDeployment,
} from '../support/gatedProvider';

const DEADLINES = { read: 2_000, write: 3_000, initialize: 5_000, cleanup: 4_000 };

function start(recoveryPlans = true): GatedDeployment {
  return startGatedDeployment(deploymentInput({ autoExecute: false }), { deadlines: DEADLINES, recoveryPlans });
}

async function toConsent(d: GatedDeployment, target: DescribeTargetResult = described.unrecoverable): Promise<void> {
  await answerCall(d.gate, 'preflight');
  await answerCall(d.gate, 'initialize', INITIALIZED);
  await answerCall(d.gate, 'describeTarget', target);
}

const plan = (d: GatedDeployment) => d.actor.getSnapshot().context.recoveryPlan;
const consentOf = (d: GatedDeployment) => toViewModel(d.actor.getSnapshot()).consent;

function manyRemovals(count: number): DescribeRecoveryResult {
  return {
    destroys: Array.from({ length: count }, (_, i) => ({
      logicalId: `google_storage_bucket.b${i}`,
      action: 'Remove' as const,
      resourceType: 'google_storage_bucket',
    })),
    basis: 'plannedDelete',
    planning: false,
  };
}

describe('deployment machine: what the recovery destroys, in the consent', () => {
  it('shows the recorded state at once, then the planned delete; consent removes the delete preview before the recovery', async () => {
    const d = start();
    await toConsent(d);
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'listing' });
    assert.equal(consentOf(d)?.destroys?.state, 'listing', 'the consent says it is listing');
    const call = await answerCall(d.gate, 'describeRecovery', recoveryPlans.planning);
    const request = call.request as DescribeRecoveryRequest;
    assert.equal(request.action, 'delete', 'about the destructive action offered');
    assert.equal(request.deploymentId, 'dep-1');
    const listed = consentOf(d)?.destroys;
    assert.equal(listed?.basis, "from the stack's last recorded state");
    assert.equal(listed?.planning, true);
    assert.deepEqual(
      listed?.items.map((i) => i.logicalId),
      ['Queue'],
    );

    d.clock.increment(RECOVERY_POLL_MS);
    await settle();
    await answerCall(d.gate, 'describeRecovery', recoveryPlans.planned);
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'asking' });
    const planned = consentOf(d)?.destroys;
    assert.equal(planned?.basis, 'planned by a delete change set');
    assert.equal(planned?.planning, false);
    assert.deepEqual(
      planned?.items.map((i) => i.logicalId),
      ['Queue', 'Topic'],
    );

    d.actor.send({ type: 'CONSENT', action: 'delete' });
    await settle();
    await answerCall(d.gate, 'discardRecoveryPlan');
    await answerCall(d.gate, 'recover', recovered);
    assert.deepEqual(d.gate.log.slice(-3), ['describeRecovery', 'discardRecoveryPlan', 'recover']);
    assert.equal(d.actor.getSnapshot().context.recoveryPlanSent, false, 'removed: nothing left for the end to remove');
  });

  it('the answers work while the list is being read: No cancels the listing and removes what it started', async () => {
    const d = start();
    await toConsent(d);
    const listing = await stallCall(d.gate, 'describeRecovery');
    d.actor.send({ type: 'DECLINE' });
    await settle();
    assert.equal(listing.signal.aborted, true, 'the listing is cancelled');
    await answerCall(d.gate, 'discardRecoveryPlan');
    const end = d.actor.getSnapshot();
    assert.equal(end.value, 'aborted');
    assert.ok(!d.gate.log.includes('recover'), 'nothing deleted');
  });

  it('a list that cannot be read says why and holds nothing up; its retries are not left showing', async () => {
    const d = start();
    await toConsent(d);
    await failCall(d.gate, 'describeRecovery', errors.throttled());
    assert.equal(d.actor.getSnapshot().context.status.error, 'retrying');
    d.clock.increment(60_000);
    await settle();
    await failCall(d.gate, 'describeRecovery', errors.credentials());
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'asking' });
    assert.equal(d.actor.getSnapshot().context.status.error, 'none', 'no retry banner over the consent');
    const destroys = consentOf(d)?.destroys;
    assert.equal(destroys?.state, 'unavailable');
    assert.match(destroys?.note ?? '', /security token/);
    d.actor.send({ type: 'CONSENT', action: 'delete' });
    await settle();
    await answerCall(d.gate, 'discardRecoveryPlan');
    await answerCall(d.gate, 'recover', recovered);
  });

  it('a planning check that fails keeps the list already shown, and says planning stopped', async () => {
    const d = start();
    await toConsent(d);
    await answerCall(d.gate, 'describeRecovery', recoveryPlans.planning);
    d.clock.increment(RECOVERY_POLL_MS);
    await settle();
    await failCall(d.gate, 'describeRecovery', errors.validation());
    assert.equal(plan(d)?.state, 'listed');
    assert.equal(plan(d)?.planning, false);
    assert.deepEqual(
      plan(d)?.destroys.map((c) => c.logicalId),
      ['Queue'],
    );
    assert.match(plan(d)?.note ?? '', /could not be followed/);
  });

  it(`stops waiting for a plan after ${MAX_RECOVERY_PLAN_CHECKS} looks, keeping the recorded state`, async () => {
    const d = start();
    await toConsent(d);
    for (let i = 0; i < MAX_RECOVERY_PLAN_CHECKS; i++) {
      await answerCall(d.gate, 'describeRecovery', recoveryPlans.planning);
      d.clock.increment(RECOVERY_POLL_MS);
      await settle();
    }
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'asking' });
    assert.equal(plan(d)?.planning, false);
    assert.equal(plan(d)?.basis, 'lastRecordedState');
    assert.match(plan(d)?.note ?? '', /stopped waiting/);
    assert.equal(d.gate.log.filter((c) => c === 'describeRecovery').length, MAX_RECOVERY_PLAN_CHECKS);
  });

  it('an empty recorded list is "could not be listed", never "nothing is destroyed"; the plan still replaces it', async () => {
    const d = start();
    await toConsent(d);
    // A provider that lists nothing from the recorded state and does not say why.
    await answerCall(d.gate, 'describeRecovery', { destroys: [], basis: 'lastRecordedState', planning: true, note: 'The delete preview is planning.' });
    const unlisted = consentOf(d)?.destroys;
    assert.equal(unlisted?.state, 'unavailable');
    assert.equal(unlisted?.planned, undefined);
    assert.equal(unlisted?.planning, true, 'the plan is still awaited');
    assert.match(unlisted?.note ?? '', /lists no resources.*not known.*planning/);
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'waiting' });

    d.clock.increment(RECOVERY_POLL_MS);
    await settle();
    await answerCall(d.gate, 'describeRecovery', recoveryPlans.planned);
    assert.equal(consentOf(d)?.destroys?.state, 'listed');
    assert.equal(consentOf(d)?.destroys?.total, 2);
  });

  it("a provider's own reason it could not list is shown as unavailable, joined with its note", async () => {
    const d = start();
    await toConsent(d);
    await answerCall(d.gate, 'describeRecovery', {
      destroys: [],
      basis: 'lastRecordedState',
      planning: false,
      note: 'The deployment is locked.',
      unavailable: 'The deployment has no revision.',
    });
    const destroys = consentOf(d)?.destroys;
    assert.equal(destroys?.state, 'unavailable');
    assert.equal(destroys?.note, 'The deployment has no revision. The deployment is locked.');
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'asking' });
  });

  it('only a planned delete with no removals may say there is nothing to destroy', async () => {
    const d = start();
    await toConsent(d);
    await answerCall(d.gate, 'describeRecovery', { destroys: [], basis: 'plannedDelete', planning: false });
    const destroys = consentOf(d)?.destroys;
    assert.equal(destroys?.state, 'listed');
    assert.equal(destroys?.total, 0);
    assert.equal(destroys?.planned, true);
  });

  it(`shows the first ${CONSENT_DESTROYS_SHOWN}, then how many more`, async () => {
    const d = start();
    await toConsent(d);
    await answerCall(d.gate, 'describeRecovery', manyRemovals(30));
    const destroys = consentOf(d)?.destroys;
    assert.equal(destroys?.items.length, CONSENT_DESTROYS_SHOWN);
    assert.equal(destroys?.total, 30);
    assert.equal(destroys?.more, 30 - CONSENT_DESTROYS_SHOWN);
    assert.equal(destroys?.actionLabel, 'Delete and recreate');
  });

  it('Abort while the delete preview is being removed after consent: nothing is recovered, and the end removes it again', async () => {
    const d = start();
    await toConsent(d);
    await answerCall(d.gate, 'describeRecovery', recoveryPlans.planned);
    d.actor.send({ type: 'CONSENT', action: 'delete' });
    await settle();
    await failCall(d.gate, 'discardRecoveryPlan', errors.validation());
    // The removal failed: the recovery goes on (a notice says so), and the end tries again.
    assert.match(d.actor.getSnapshot().context.notices.join(' '), /delete preview could not be removed/);
    const recover = await stallCall(d.gate, 'recover');
    d.actor.send({ type: 'ABORT' });
    await settle();
    assert.equal(recover.signal.aborted, true);
    await answerCall(d.gate, 'discardRecoveryPlan');
    assert.equal(d.actor.getSnapshot().value, 'aborted');
  });

  it('a provider without the call (AWS) shows no list and removes nothing', async () => {
    const d = start(false);
    await toConsent(d);
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'asking' });
    assert.equal(consentOf(d)?.destroys, undefined, 'no list rather than an empty one');
    d.actor.send({ type: 'CONSENT', action: 'delete' });
    await settle();
    await answerCall(d.gate, 'recover', recovered);
    assert.ok(!d.gate.log.includes('describeRecovery') && !d.gate.log.includes('discardRecoveryPlan'));
  });

  it('only a destructive way out is listed', async () => {
    const d = start();
    const unlockOnly: DescribeTargetResult = {
      ...described.unrecoverable,
      recoveryActions: [{ id: 'unlock', label: 'Unlock and deploy', description: 'Releases the lock.', destructive: false, restartsDeployment: true }],
    };
    await toConsent(d, unlockOnly);
    assert.deepEqual(d.actor.getSnapshot().value, { awaitingConsent: 'asking' });
    assert.equal(consentOf(d)?.destroys, undefined);
    d.actor.send({ type: 'DECLINE' });
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    assert.ok(!d.gate.log.includes('describeRecovery') && !d.gate.log.includes('discardRecoveryPlan'));
  });
});

describe('deployment session: a reload during the consent', () => {
  const options = (gate: CallGate, store: MemorySnapshotStore) => ({
    provider: gatedProvider(gate, { recoveryPlans: true }),
    workspace: gatedWorkspace(gate),
    store,
    clock: new SimulatedClock(),
    random: () => 0.5,
  });

  /** A consent whose listing (describeRecovery) is still in flight, saved to `store` as the window closes. */
  async function savedWhileListing(store: MemorySnapshotStore): Promise<void> {
    const gate = new CallGate();
    const first = DeploymentSession.start(deploymentInput({ autoExecute: false }), options(gate, store));
    await answerCall(gate, 'preflight');
    await answerCall(gate, 'initialize', INITIALIZED);
    await answerCall(gate, 'describeTarget', described.unrecoverable);
    await stallCall(gate, 'describeRecovery');
    await first.flush();
    first.dispose();
  }

  /** Restored from `store`: the listing is asked again and shown; declined, the delete preview is removed and the run ends aborted. */
  async function restoredListsThenDeclined(store: MemorySnapshotStore): Promise<void> {
    const gate2 = new CallGate();
    const resumed = await DeploymentSession.restore(TARGET, options(gate2, store));
    assert.ok(resumed);
    await answerCall(gate2, 'describeRecovery', recoveryPlans.planned);
    assert.equal(resumed.snapshot.context.recoveryPlan?.basis, 'plannedDelete');
    resumed.send({ type: 'DECLINE' });
    await settle();
    await answerCall(gate2, 'discardRecoveryPlan');
    assert.equal(resumed.snapshot.value, 'aborted');
    resumed.dispose();
  }

  it('a listing in flight is asked again after the reload, and the delete preview is removed at the end', async () => {
    const store = new MemorySnapshotStore();
    await savedWhileListing(store);
    await restoredListsThenDeclined(store);
  });

  it(`a consent saved before lists existed (snapshot version ${SNAPSHOT_VERSION}, state awaitingConsent) lists after the reload`, async () => {
    const store = new MemorySnapshotStore();
    await savedWhileListing(store);
    // As the version before lists saved it: the plain state, no list, no children.
    const saved = (await store.load('aws:us-east-1:demo-stack')) as { snapshot: { value: unknown; children: unknown; context: Record<string, unknown> } };
    saved.snapshot.value = 'awaitingConsent';
    saved.snapshot.children = {};
    delete saved.snapshot.context['recoveryPlan'];
    delete saved.snapshot.context['recoveryPlanSent'];
    await store.save('aws:us-east-1:demo-stack', saved);

    await restoredListsThenDeclined(store);
  });
});
