/**
 * Fault matrix, Google Cloud (Infrastructure Manager through googleapis, im-sim behind the fault
 * proxy): stalls, broken and lost answers, a stale preview, expired credentials, Abort in flight
 * and extension-host restarts. Each entry checks the outcome against im-sim's deployments, the
 * applies against its request log (one per requestId), and that no preview or unused blueprint
 * zip is left behind, and nothing deleted.
 */
import { describe, it } from 'node:test';
import type { FaultRule } from '../../tools/fault-proxy/index';
import {
  Findings,
  GCP_PARENT,
  checkGcp,
  checkRetryingSoon,
  describeEnd,
  restartGcp,
  seedGcp,
  startGcp,
  until,
  useGcpRig,
  waitForEnd,
  waitForState,
  type GcpExpectations,
  type GcpRun,
} from '../support/faultHarness';
import { GCP_MAIN } from './templates';

describe('fault matrix: Google Cloud', () => {
  const { rig, nextId } = useGcpRig({ 'main.tf': GCP_MAIN() });
  const deploymentState = (id: string): unknown => rig.sim.deployments().find((d) => d['name'] === `${GCP_PARENT}/deployments/${id}`)?.['state'];

  async function finish(run: GcpRun, expected: GcpExpectations, findings = new Findings()): Promise<void> {
    await waitForEnd(run.rec);
    await checkGcp(rig, run.rec, expected, findings);
    run.rec.dispose();
    findings.done(describeEnd(run.rec));
  }

  async function stallOnCreate(action: string, prefix: string): Promise<void> {
    const id = nextId(prefix);
    rig.proxy.add({ match: { action }, fault: { kind: 'stall' } });
    const run = startGcp(rig, id);
    const stall = await rig.proxy.waitForFault({ kind: 'stall', action });
    const findings = new Findings();
    await waitForEnd(run.rec);
    checkRetryingSoon(run.rec, stall.at, findings);
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
  }

  it('stall on storage.upload (staging): retrying, then deploys', () => stallOnCreate('storage.upload', 'g-stall-upload'));
  it('stall on previews.create (staging): retrying, then deploys', () => stallOnCreate('previews.create', 'g-stall-preview'));
  it('stall on deployments.create (executing, never reached the sim): retrying, applied once', () => stallOnCreate('deployments.create', 'g-stall-apply'));

  it('stall on operations.get mid-apply while the apply finishes: retrying, then the truth', async () => {
    const id = nextId('g-stall-op');
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ seconds: 8 }) });
    const run = startGcp(rig, id);
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: { action: 'operations.get' }, fault: { kind: 'stall' } });
    const stall = await rig.proxy.waitForFault({ kind: 'stall', action: 'operations.get' });
    const findings = new Findings();
    await waitForEnd(run.rec);
    checkRetryingSoon(run.rec, stall.at, findings);
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
  });

  async function brokenReads(prefix: string, fault: FaultRule['fault'], times: number): Promise<void> {
    const id = nextId(prefix);
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ seconds: 8 }) });
    const run = startGcp(rig, id);
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: { action: 'operations.get' }, fault, times });
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true });
  }

  it('garbage operations.get during the apply: the truth (succeeded)', () => brokenReads('g-garbage-op', { kind: 'garbage' }, 2));
  it('truncated operations.get (connection cut) during the apply: the truth (succeeded)', () =>
    brokenReads('g-cut-op', { kind: 'truncate', contentLength: 'original' }, 2));
  it('truncated operations.get (malformed JSON) during the apply: the truth (succeeded)', () => brokenReads('g-trunc-op', { kind: 'truncate' }, 2));

  it('lost deployments.patch response: applied exactly once, the truth (succeeded)', async () => {
    const id = nextId('g-lost-patch');
    await seedGcp(rig, id);
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'v2' }) });
    rig.proxy.add({ match: { action: 'deployments.patch' }, fault: { kind: 'lostResponse' } });
    const run = startGcp(rig, id);
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true });
  });

  it('stale preview (someone applied after our preview): not applied, said stale, preview and zip removed', async () => {
    const id = nextId('g-stale');
    await seedGcp(rig, id);
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'v2' }) });
    const run = startGcp(rig, id, { autoExecute: false });
    await waitForState(run.rec, 'reviewing');
    rig.sim.applyOutOfBand(`${GCP_PARENT}/deployments/${id}`);
    run.rec.session.send({ type: 'EXECUTE' });
    const findings = new Findings();
    await waitForEnd(run.rec);
    const said = [run.rec.snapshot.context.error?.message ?? '', ...run.rec.snapshot.context.notices].join(' ');
    findings.check(/stale|changed since|newer revision/i.test(said), `the stale preview is not explained: "${said}"`);
    await finish(run, { deploymentName: id, outcome: ['failed', 'aborted'], deploymentState: 'ACTIVE', applies: 0, keepsBlueprint: false }, findings);
  });

  it('expired credentials mid-apply: lost contact (not failed); dismissed, it ends unknown', async () => {
    const id = nextId('g-expired');
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ seconds: 8 }) });
    const run = startGcp(rig, id);
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: {}, fault: { kind: 'expiredCredentials' }, times: Infinity });
    const findings = new Findings();
    const lost = await waitForState(run.rec, 'lostContact').catch(() => undefined);
    findings.check(lost?.context.status.error === 'lostContact', `status error ${lost?.context.status.error ?? 'never lost contact'}`);
    findings.check(!run.rec.everWas((e) => e.error === 'failed'), 'shown as failed');
    run.rec.session.send({ type: 'DISMISS' });
    await waitForEnd(run.rec);
    rig.proxy.reset();
    await until(() => deploymentState(id) === 'ACTIVE', 'the apply to finish');
    await finish(run, { deploymentName: id, outcome: 'unknown', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
  });

  it('expired credentials mid-apply, refreshed, Check again: the same deployment resumes (succeeded)', async () => {
    const id = nextId('g-expired-refresh');
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ seconds: 8 }) });
    const run = startGcp(rig, id);
    await waitForState(run.rec, 'monitoring');
    rig.proxy.add({ match: {}, fault: { kind: 'expiredCredentials' }, times: Infinity });
    await waitForState(run.rec, 'lostContact');
    rig.proxy.reset();
    run.rec.session.send({ type: 'CHECK_AGAIN' });
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true });
  });

  it('Abort while previews.create is in flight: waits for it, then removes the preview and the zip', async () => {
    const id = nextId('g-abort-preview');
    rig.proxy.add({ match: { action: 'previews.create' }, fault: { kind: 'delay', ms: 800 } });
    const run = startGcp(rig, id);
    await rig.proxy.waitForFault({ kind: 'delay', action: 'previews.create' });
    run.rec.session.send({ type: 'ABORT' });
    await finish(run, { deploymentName: id, outcome: 'aborted', deploymentState: undefined, applies: 0, keepsBlueprint: false });
  });

  async function restartWhileStalled(prefix: string, state: string, rule: FaultRule): Promise<void> {
    const id = nextId(prefix);
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ seconds: 6 }) });
    rig.proxy.add(rule);
    const run = startGcp(rig, id);
    await rig.proxy.waitForFault({ kind: rule.fault.kind, action: rule.match.action });
    await waitForState(run.rec, state);
    await restartGcp(rig, run);
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true });
  }

  it('restart in staging (previews.create reached the sim, no answer): no orphan preview', () =>
    restartWhileStalled('g-rs-preview', 'staging', { match: { action: 'previews.create' }, fault: { kind: 'stall', forward: true } }));
  it('restart in executing (deployments.create reached the sim, no answer): applied once', () =>
    restartWhileStalled('g-rs-apply', 'executing', { match: { action: 'deployments.create' }, fault: { kind: 'stall', forward: true } }));
  it('restart during the apply (operations.get in flight): applied once, the truth', () =>
    restartWhileStalled('g-rs-monitor', 'monitoring', { match: { action: 'operations.get' }, fault: { kind: 'stall' } }));

  it('restart during the apply of an update (deployments.patch lost, then the host restarts): applied once, not "stale"', async () => {
    const id = nextId('g-rs-patch');
    await seedGcp(rig, id);
    await rig.writeBlueprint({ 'main.tf': GCP_MAIN({ label: 'v2', seconds: 6 }) });
    rig.proxy.add({ match: { action: 'deployments.patch' }, fault: { kind: 'stall', forward: true } });
    const run = startGcp(rig, id);
    await rig.proxy.waitForFault({ kind: 'stall', action: 'deployments.patch' });
    await waitForState(run.rec, 'executing');
    await restartGcp(rig, run);
    const findings = new Findings();
    await waitForEnd(run.rec);
    findings.check(
      !/stale/i.test(run.rec.snapshot.context.error?.message ?? ''),
      `reported a stale preview for an apply that ran: ${run.rec.snapshot.context.error?.message ?? ''}`,
    );
    await finish(run, { deploymentName: id, outcome: 'succeeded', deploymentState: 'ACTIVE', applies: 1, keepsBlueprint: true }, findings);
  });
});
