/**
 * im-sim: a local Infrastructure Manager (config.googleapis.com v1) and Cloud Storage upload
 * endpoint with simulated time, for the real googleapis client.
 *
 *   const sim = await startImSim({ speed: 0 });
 *   const config = new config_v1.Config({ rootUrl: sim.rootUrl, auth });
 */
import { closeServer, listenOn } from '../sim-kit/http';
import { SimClock } from '../cfn-sim/clock';
import { clearBuildFailures, failNextApplyBuild, failNextDelete } from './buildFailures';
import type { SimContext } from './context';
import { applyOutOfBand, getDeployment, lockNow, setState } from './deployments';
import { failNextLockChange } from './locks';
import { checkedCancelBehaviour } from './cancel';
import { checkedResourceReporting } from './reporting';
import { driftResource } from './driftApi';
import { FaultBook } from './faults';
import type { DeploymentRecord, PreviewRecord } from './model';
import { OperationBook } from './operations';
import { Scheduler } from './scheduler';
import { createSimServer } from './server';
import { ProjectDirectory, SAMPLE_PROJECTS } from './projects';
import { ObjectStore } from './storage';
import type { ImSim, ImSimOptions, ImSimRequestRecord } from './types';
import { deploymentJson } from './views';

export type { CancelBehaviour, GcpFaultRule, ImSim, ImSimOptions, ImSimProject, ImSimRequestRecord, ResourceReporting } from './types';

export async function startImSim(options: ImSimOptions = {}): Promise<ImSim> {
  const clock = new SimClock(options.speed ?? 1);
  let idCounter = 0;
  const ctx: SimContext = {
    now: () => clock.now(),
    scheduler: new Scheduler(),
    objects: new ObjectStore(),
    operations: new OperationBook(() => clock.now()),
    settings: {
      previewSeconds: nonNegative(options.previewSeconds, 3, 'previewSeconds'),
      resourceSeconds: nonNegative(options.resourceSeconds, 2, 'resourceSeconds'),
      setupSeconds: nonNegative(options.setupSeconds, 1, 'setupSeconds'),
      lockSeconds: nonNegative(options.lockSeconds, 0, 'lockSeconds'),
      unlockSeconds: nonNegative(options.unlockSeconds, 0, 'unlockSeconds'),
      previewOfMissingDeployment: options.previewOfMissingDeployment ?? 'plan',
      cancelBehaviour: checkedCancelBehaviour(options.cancelBehaviour ?? 'boundary'),
      resourceReporting: checkedResourceReporting(options.resourceReporting ?? 'live'),
    },
    deployments: new Map<string, DeploymentRecord>(),
    previews: new Map<string, PreviewRecord>(),
    nextId: () => ++idCounter,
    projects: new ProjectDirectory(options.projects ?? SAMPLE_PROJECTS),
  };
  const faults = new FaultBook();
  const requests: ImSimRequestRecord[] = [];
  const token = options.token ?? 'sim-token';
  const sync = (): void => ctx.scheduler.runDue(ctx.now());
  let rootUrl = '';

  const server = createSimServer({ ctx, faults, requests, token: () => token, rootUrl: () => rootUrl });
  rootUrl = `${await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0)}/`;

  return {
    rootUrl,
    token,
    close: () => closeServer(server),
    advance: (seconds) => {
      clock.advance(seconds);
      sync();
    },
    setSpeed: (speed) => {
      sync();
      clock.setSpeed(speed);
    },
    inject: (rule) => faults.add(rule),
    requests: () => requests.map((r) => ({ ...r, query: { ...r.query } })),
    deployments: () => {
      sync();
      return [...ctx.deployments.values()].map(deploymentJson);
    },
    objects: () => ctx.objects.list().map((o) => ({ bucket: o.bucket, name: o.name, generation: o.generation, size: o.data.length })),
    setDeploymentState: (name, state) => {
      sync();
      setState(ctx, name, state);
    },
    lock: (name, owner) => {
      sync();
      lockNow(
        ctx,
        name,
        owner ?? { who: 'terraform@cloudbuild', info: 'Terraform run crashed while holding the lock (im-sim lock())', operation: 'OperationTypeApply' },
      );
    },
    failNextLockChange: (name, which) => {
      sync();
      failNextLockChange(getDeployment(ctx, name), which);
    },
    setLockSeconds: (which, seconds) => {
      sync();
      const checked = nonNegative(seconds, 0, `${which}Seconds`);
      if (which === 'lock') ctx.settings.lockSeconds = checked;
      else ctx.settings.unlockSeconds = checked;
    },
    applyOutOfBand: (name) => {
      sync();
      applyOutOfBand(ctx, name);
    },
    failNextApplyBuild: (name, failure) => {
      sync();
      failNextApplyBuild(ctx, name, failure);
    },
    failNextDelete: (name, failure) => {
      sync();
      failNextDelete(ctx, name, failure);
    },
    drift: (name, address, attr, value, options) => {
      sync();
      driftResource(ctx, name, address, attr === undefined ? undefined : { attr, value, sensitive: options?.sensitive === true });
    },
    setCancelBehaviour: (behaviour) => {
      sync();
      ctx.settings.cancelBehaviour = checkedCancelBehaviour(behaviour);
    },
    setResourceReporting: (mode) => {
      sync();
      ctx.settings.resourceReporting = checkedResourceReporting(mode);
    },
    setProject: (id, project) => ctx.projects.set(id, project),
    reset: () => {
      ctx.scheduler.clear();
      ctx.objects.clear();
      ctx.operations.clear();
      ctx.deployments.clear();
      ctx.previews.clear();
      clearBuildFailures(ctx);
      faults.clear();
      requests.length = 0;
    },
  };
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}
