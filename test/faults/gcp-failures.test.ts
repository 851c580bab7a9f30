/**
 * Fault matrix, Google Cloud: failed operation shapes. The real machine, adapter and googleapis
 * client talk to im-sim through the fault proxy, and the service fails in the ways it can:
 *
 * - an apply whose operation SUCCEEDS with the Deployment FAILED and a build-level errorCode,
 *   and no failed revision (gcloud reads the deployment's state for exactly this): it must end
 *   failed, with the errorCode's reason and the build linked as the root cause;
 * - a delete that fails during *Delete and recreate*: the deployment stays, FAILED with a
 *   DELETE_* errorCode, and it must not go on to a patch over it; the failure is told with its
 *   reason, and deleting it again waits for consent.
 */
import { describe, it } from 'node:test';
import { toViewModel } from '../../src/ui/viewModel';
import { Findings, GCP_PARENT, checkGcp, describeEnd, gcpApplies, seedGcp, startGcp, stateName, until, useGcpRig, waitForEnd } from '../support/faultHarness';
import { GCP_MAIN } from './templates';

type RootCause = ReturnType<typeof toViewModel>['failures']['rootCause'];

describe('fault matrix: Google Cloud, failed operation shapes', () => {
  const { rig, nextId } = useGcpRig({ 'main.tf': GCP_MAIN() });
  const resourceName = (id: string): string => `${GCP_PARENT}/deployments/${id}`;
  const BUILD_PAGE = /https:\/\/console\.cloud\.google\.com\/cloud-build\/builds;region=us-central1\/[\w-]+\?project=orders-prod/;

  /** Deploys `id`, which must end failed with the Deployment FAILED after one apply; `check` then reads the root cause shown. */
  async function failedBuild(id: string, check: (root: RootCause, findings: Findings) => void): Promise<void> {
    const run = startGcp(rig, id);
    const end = await waitForEnd(run.rec);
    const findings = await checkGcp(rig, run.rec, { deploymentName: id, outcome: 'failed', deploymentState: 'FAILED', applies: 1, keepsBlueprint: true });
    check(toViewModel(end).failures.rootCause, findings);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  }

  it('create: the operation succeeds with the Deployment FAILED (BUCKET_CREATION_PERMISSION_DENIED) and no revision: failed, the error code explained and the build linked as the root cause', async () => {
    const id = nextId('g-build-create');
    rig.sim.failNextApplyBuild(resourceName(id), { errorCode: 'BUCKET_CREATION_PERMISSION_DENIED' });
    await failedBuild(id, (root, findings) => {
      findings.check(root?.logicalId === id, `the root cause is on ${root?.logicalId ?? 'nothing'}, expected the deployment ${id}`);
      findings.check(
        /could not create the Cloud Storage bucket.*\[BUCKET_CREATION_PERMISSION_DENIED\]/.test(root?.reason ?? ''),
        `root cause reason: ${root?.reason ?? '(none)'}`,
      );
      findings.check(BUILD_PAGE.test(root?.reason ?? ''), `the root cause links the Cloud Build: ${root?.reason ?? '(none)'}`);
    });
  });

  it('update: the build is refused (CLOUD_BUILD_PERMISSION_DENIED) and its revision stays APPLYING while the operation succeeds: failed, never succeeded', async () => {
    const id = nextId('g-build-update');
    await seedGcp(rig, id);
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'billing' }) });
    rig.sim.failNextApplyBuild(resourceName(id), { errorCode: 'CLOUD_BUILD_PERMISSION_DENIED', revision: 'unfinished' });
    await failedBuild(id, (root, findings) => {
      const reason = root?.reason ?? '';
      findings.check(/Cloud Build was refused permission.*\[CLOUD_BUILD_PERMISSION_DENIED\]/.test(reason), `root cause reason: ${reason || '(none)'}`);
    });
  });

  it('Delete and recreate whose delete fails (DELETE_BUILD_RUN_FAILED): no patch over it; the failed delete is told and deleting again is asked', async () => {
    const id = nextId('g-delete-fails');
    await seedGcp(rig, id);
    // A changed blueprint: going on after the failed delete would patch it over the deployment.
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'billing' }) });
    rig.sim.setDeploymentState(resourceName(id), 'SUSPENDED');
    rig.sim.failNextDelete(resourceName(id), { message: 'topic events is still referenced by a subscription' });
    const run = startGcp(rig, id);
    // The question is up (a plan of what the delete destroys may be read first).
    const asked = (): boolean => ['awaitingConsent', 'awaitingConsent.asking'].includes(stateName(run.rec.snapshot.value));
    await until(() => asked(), 'the consent question');
    run.rec.session.send({ type: 'CONSENT', action: 'forceDelete' });

    const findings = new Findings();
    // After the failed delete: asked again (about the deployment as the failed delete left it), or ended; never staged.
    await until(
      () => run.rec.snapshot.status === 'done' || (asked() && run.rec.snapshot.context.recoveries === 1) || gcpApplies(rig, id) > 0,
      'the deployment after its failed delete',
    );
    findings.check(gcpApplies(rig, id) === 0, `applied over a deployment whose delete failed (${gcpApplies(rig, id)} applies)`);
    findings.check(
      !run.rec.everWas((e) => e.state.startsWith('staging') || e.state.startsWith('executing')),
      `went on to stage or execute: ${run.rec.states().join(' → ')}`,
    );
    const described = run.rec.snapshot.context.described;
    findings.check(
      described?.recoveryActions.map((a) => a.id).join(',') === 'delete',
      `offered ${described?.recoveryActions.map((a) => a.id).join(',') ?? 'nothing'}, expected delete`,
    );
    const reason = described?.statusReason ?? '';
    findings.check(
      /The last delete of .* failed.*topic events is still referenced by a subscription.*\[DELETE_BUILD_RUN_FAILED\]/.test(reason),
      `the failed delete's reason: ${reason || '(none)'}`,
    );
    findings.check(BUILD_PAGE.test(reason), `the delete's Cloud Build is linked: ${reason || '(none)'}`);

    run.rec.session.send({ type: 'DECLINE' });
    await waitForEnd(run.rec);
    await checkGcp(
      rig,
      run.rec,
      { deploymentName: id, outcome: 'aborted', deploymentState: 'FAILED', applies: 0, keepsBlueprint: false, consentedDelete: true },
      findings,
    );
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  });
});
