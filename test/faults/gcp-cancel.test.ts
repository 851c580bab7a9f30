/**
 * Fault matrix, Google Cloud: Cancel is best effort. google.longrunning lets a service answer
 * CancelOperation with UNIMPLEMENTED, or accept it and finish anyway. Either way the real machine
 * must keep monitoring until the operation says it ended, and end with the service's truth:
 * not "cancelled" for an apply that ran to the end, and not "failed" because a cancel was refused.
 */
import { afterEach, describe, it } from 'node:test';
import type { CancelBehaviour } from '../../tools/im-sim/index';
import { waitFor } from '../support/awsDeployment';
import { Findings, checkGcp, describeEnd, restartGcp, startGcp, stateName, useGcpRig, waitForEnd, type GcpRun } from '../support/faultHarness';
import { sessionKey } from '../../src/deployment/session';
import { summarizeFailures } from '../../src/deployment/resources';
import { toViewModel } from '../../src/ui/viewModel';
import { GCP_MAIN } from './templates';

describe('fault matrix: Google Cloud cancel', () => {
  // Long enough to be cancelled mid-resource at the rig's speed (about 3 s of real time).
  const { rig, nextId } = useGcpRig({ 'main.tf': GCP_MAIN({ seconds: 30 }) });
  // The behaviour is a sim setting that reset() keeps: put the default back for the next file.
  afterEach(() => rig.sim.setCancelBehaviour('boundary'));

  /** Starts a deployment, sends Stop once its resource is being applied, and waits for the end. */
  async function cancelMidApply(behaviour: CancelBehaviour, prefix: string): Promise<{ run: GcpRun; id: string }> {
    const id = nextId(prefix);
    rig.sim.setCancelBehaviour(behaviour);
    const run = startGcp(rig, id);
    await waitFor(run.rec.session, (s) => s.context.resources['google_pubsub_topic.events']?.status === 'inProgress', 20_000, 'the resource to be applied');
    run.rec.session.send({ type: 'STOP' });
    await waitForEnd(run.rec);
    return { run, id };
  }

  it('cancel UNIMPLEMENTED (501): a clear notice, monitoring goes on, ends succeeded with the apply done', async () => {
    const { run, id } = await cancelMidApply('unimplemented', 'g-cancel-501');
    const end = run.rec.snapshot;
    const findings = new Findings();
    const refusal = end.context.notices.find((n) => /did not accept the cancel/.test(n));
    findings.check(refusal !== undefined, 'no notice says Infrastructure Manager did not accept the cancel');
    findings.check(/UNIMPLEMENTED/.test(refusal ?? ''), `the notice does not name the answer: "${refusal ?? ''}"`);
    findings.check(/the apply goes on/.test(refusal ?? ''), `the notice does not say the apply goes on: "${refusal ?? ''}"`);
    findings.check(end.context.stopRequested === false, 'a refused cancel is recorded as a requested stop');
    findings.check(toViewModel(end).stopped !== true, 'the monitor shows a refused cancel as stopped');
    findings.check(
      end.context.resources['google_pubsub_topic.events']?.status === 'succeeded',
      `the resource is ${end.context.resources['google_pubsub_topic.events']?.status ?? 'unknown'}, not applied`,
    );
    findings.check(
      rig.requests().some((r) => r.method === 'POST' && r.path.endsWith(':cancel') && r.status === 501),
      'operations.cancel was not answered 501',
    );
    await checkGcp(rig, run.rec, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });

  it('cancel accepted and ignored: "waiting for Infrastructure Manager", then the truth (succeeded anyway)', async () => {
    const { run, id } = await cancelMidApply('ignored', 'g-cancel-ignored');
    const end = run.rec.snapshot;
    const findings = new Findings();
    findings.check(
      end.context.notices.some((n) => /Cancel requested\. Infrastructure Manager took the request/.test(n)),
      'no notice said the cancel was only requested',
    );
    findings.check(
      end.context.notices.some((n) => /did not stop the apply.*succeeded/.test(n)),
      'the end does not say the apply ran to the end despite the cancel',
    );
    findings.check(!end.context.notices.some((n) => /cancelled by someone else/.test(n)), 'our own cancel is blamed on someone else');
    findings.check(end.context.providerStatus !== 'CANCELLED', `providerStatus ${end.context.providerStatus ?? '-'}`);
    findings.check(end.context.resources['google_pubsub_topic.events']?.status === 'succeeded', 'the resource is not shown applied');
    await checkGcp(rig, run.rec, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });

  it('cancel accepted and ignored, then the resource fails: failed (its own error), not "cancelled"', async () => {
    await rig.writeBlueprint({
      'main.tf': `resource "google_pubsub_topic" "events" {
  # sim: seconds=30 fail="Quota exceeded for pubsub topics"
  name = "events"
}
`,
    });
    const { run, id } = await cancelMidApply('ignored', 'g-cancel-ignored-fails');
    const end = run.rec.snapshot;
    const findings = new Findings();
    findings.check(end.context.providerStatus !== 'CANCELLED', 'a failure is reported as the cancel');
    findings.check(
      /Quota exceeded for pubsub topics/.test(end.context.error?.message ?? ''),
      `the error is not the resource's own: ${end.context.error?.message ?? '-'}`,
    );
    findings.check(
      end.context.notices.some((n) => /did not stop the apply: it ended by failing on its own/.test(n)),
      'the end does not say the cancel did not stop it',
    );
    findings.check(end.context.status.error === 'failed', `status error ${end.context.status.error}`);
    await checkGcp(rig, run.rec, { deploymentName: id, outcome: 'failed', deploymentState: 'FAILED', applies: 1, keepsBlueprint: true }, findings);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });
  it('a cancel saved by Stackwatch before snapshot version 3, while cleaning up, resumes as the cancel it was, not a failure', async () => {
    const id = nextId('g-cancel-v2');
    rig.sim.setCancelBehaviour('boundary');
    const run = startGcp(rig, id);
    // Every snapshot the session saves: the last one before the end is the moment to resume from.
    const writes: string[] = [];
    const save = run.store.save.bind(run.store);
    run.store.save = (key, persisted) => {
      writes.push(JSON.stringify(persisted));
      return save(key, persisted);
    };
    await waitFor(run.rec.session, (s) => s.context.resources['google_pubsub_topic.events']?.status === 'inProgress', 20_000, 'the resource to be applied');
    run.rec.session.send({ type: 'STOP' });
    const end = await waitForEnd(run.rec);
    const findings = new Findings();
    findings.check(end.context.phase === 'cancelled', `the cancel ended with operation state ${end.context.phase ?? '-'}`);
    // What version 2 saved for the same moment: Google's status was the only sign of the cancel.
    const key = sessionKey(run.target);
    const saved = JSON.parse(writes.at(-1) ?? 'null') as { snapshot: { context: { events: { status: string; providerStatus?: string }[] } } };
    const context = saved.snapshot.context;
    const v2 = {
      stackwatchSnapshot: 2,
      snapshot: {
        ...saved.snapshot,
        status: 'active',
        value: { cleaningUp: 'runBackoff' },
        context: {
          ...context,
          phase: 'failed',
          providerStatus: 'CANCELLED',
          events: context.events.map((e) => (e.status === 'cancelled' ? { ...e, status: 'failed' } : e)),
        },
      },
    };
    findings.check(
      v2.snapshot.context.events.some((e) => e.status === 'failed' && e.providerStatus === 'CANCELLED'),
      'the version-2 form has no CANCELLED target event to upgrade',
    );
    run.store.data.set(key, JSON.stringify(v2));
    await restartGcp(rig, run);
    const resumed = await waitForEnd(run.rec);
    findings.check(
      stateName(resumed.value) === stateName(end.value),
      `resumed to ${stateName(resumed.value)}, the cancel itself ended ${stateName(end.value)}`,
    );
    findings.check(resumed.context.status.error === end.context.status.error, `error status ${resumed.context.status.error}, was ${end.context.status.error}`);
    findings.check(resumed.context.error === undefined, `an error after the resume: ${resumed.context.error?.message ?? ''}`);
    findings.check(summarizeFailures(resumed.context.events, run.target.name).rootCause === undefined, 'the cancel became a root cause');
    findings.check(toViewModel(resumed).stopped === true, 'the monitor does not show the resumed cancel as stopped');
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });
});
