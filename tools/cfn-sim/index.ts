/**
 * cfn-sim: a local CloudFormation endpoint speaking awsQuery, with simulated time.
 *
 *   const sim = await startCfnSim({ speed: 50 });
 *   const cfn = new CloudFormationClient({ endpoint: sim.url, region: 'us-east-1', credentials });
 *
 * The same port serves a path-style S3 (s3.ts) for nested templates and TemplateURLs:
 *
 *   const s3 = new S3Client({ endpoint: sim.url, region: 'us-east-1', credentials, forcePathStyle: true });
 *   await s3.send(new PutObjectCommand({ Bucket: 'tpl', Key: 'child.yaml', Body }));   // or:
 *   const url = sim.putObject('tpl', 'child.yaml', Body);   // `${sim.url}/tpl/child.yaml`, a TemplateURL
 *
 * Drift (drift.ts): `sim.drift({ stackName, logicalId, properties: { Name: value | null }, deleted?, clear? })`
 * or `POST /_sim/drift` with that JSON sets a live resource's actual state for REVERT_DRIFT change sets.
 */
import { closeServer, listenOn } from '../sim-kit/http';
import { SimClock } from './clock';
import { handleControl, type ControlTarget } from './control';
import { Engine } from './engine';
import { checkedRule, FaultBook } from './faults';
import { actAsOtherClient, checkedOtherClientRequest } from './otherClient';
import { checkedDriftRequest, injectDrift } from './drift';
import { handleS3, S3Store, templateFromUrl } from './s3';
import { createSimServer } from './server';
import { checkedSettings, DEFAULT_SETTINGS, type SimSettings } from './settings';
import { NewsBook } from './attribution';
import { eventLogOf } from './events';
import type { CallRecord, CfnSim, CfnSimOptions } from './types';

export type { DriftRequest, DriftResult } from './drift';
export type {
  CallRecord,
  CfnSim,
  CfnSimOptions,
  DurationMode,
  FaultKind,
  FaultRule,
  OtherClientRequest,
  OtherClientResult,
  SimChangeSetView,
  SimEventRecord,
  SimOutputView,
  SimResourceView,
  SimSettings,
  SimStackView,
} from './types';

export async function startCfnSim(options: CfnSimOptions = {}): Promise<CfnSim> {
  const clock = new SimClock(options.speed ?? 1);
  const { changeSetSeconds, echoEventTokens, echoOperationIds, durations, durationSeed, durationJitter, noUpdatesWithTransform, existingResources } = options;
  const given = Object.fromEntries(
    Object.entries({
      changeSetSeconds,
      echoEventTokens,
      echoOperationIds,
      durations,
      durationSeed,
      durationJitter,
      noUpdatesWithTransform,
      existingResources,
    }).filter(([, v]) => v !== undefined),
  );
  const initialSettings: SimSettings = { ...DEFAULT_SETTINGS, ...checkedSettings(given) };
  const settings: SimSettings = { ...initialSettings };
  const engine = new Engine(
    {
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '123456789012',
      settings,
      templateSource: (url) => templateFromUrl(s3, url, listening.url),
    },
    () => clock.now(),
  );
  const faults = new FaultBook();
  const s3 = new S3Store();
  /** Known once the server listens; TemplateURLs naming the simulator itself need it. */
  const listening: { url?: string } = {};
  const calls: CallRecord[] = [];
  const news = new NewsBook();

  const control: ControlTarget = {
    state: () => {
      engine.sync();
      return { now: new Date(clock.now()).toISOString(), speed: clock.getSpeed(), stacks: engine.view() };
    },
    calls: () => calls.map((c) => ({ ...c, params: { ...c.params } })),
    events: () => {
      engine.sync();
      return eventLogOf(engine.allStacks());
    },
    faults: () => faults.list(),
    reset: () => {
      engine.reset();
      faults.clear();
      s3.clear();
      calls.length = 0;
      news.clear();
      // Tests that share a simulator must not inherit each other's switches.
      Object.assign(settings, initialSettings);
    },
    inject: (rule) => faults.add(checkedRule(rule)),
    advance: (seconds) => {
      clock.advance(seconds);
      engine.sync();
    },
    setSpeed: (speed) => {
      engine.sync();
      clock.setSpeed(speed);
    },
    settings: () => ({ ...settings }),
    configure: (patch) => {
      engine.sync();
      Object.assign(settings, checkedSettings(patch));
      return { ...settings };
    },
    asOtherClient: (request) => actAsOtherClient(engine, checkedOtherClientRequest(request)),
    drift: (request) => {
      engine.sync();
      return injectDrift(engine.requireStack(request.stackName), checkedDriftRequest(request));
    },
    s3Objects: () => s3.list(),
  };

  const server = createSimServer({
    actions: { engine, eventsPageSize: positive(options.eventsPageSize, 100), changesPageSize: positive(options.changesPageSize, 100) },
    faults,
    calls,
    news,
    control: (method, path, body) => handleControl(control, method, path, body),
    s3: (req, res, body) => handleS3(s3, req, res, body),
  });
  const url = await listenOn(server, options.host ?? '127.0.0.1', options.port ?? 0);
  listening.url = url;

  return {
    url,
    close: () => closeServer(server),
    reset: control.reset,
    inject: control.inject,
    clearFaults: () => faults.clear(),
    calls: control.calls,
    eventLog: control.events,
    stacks: () => control.state().stacks,
    advance: control.advance,
    now: () => clock.now(),
    setSpeed: control.setSpeed,
    configure: control.configure,
    asOtherClient: control.asOtherClient,
    putObject: (bucket, key, body) => {
      s3.put(bucket, key, body);
      return `${url}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    },
    drift: control.drift,
  };
}

function positive(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`page sizes must be positive integers, got ${value}`);
  return value;
}
