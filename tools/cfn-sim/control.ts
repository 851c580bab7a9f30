/**
 * The `/_sim` routes: the programmatic API over HTTP with JSON, for `npm start` and for humans.
 *
 *   GET  /_sim/state     { now, speed, stacks }
 *   GET  /_sim/calls     CallRecord[]
 *   GET  /_sim/events    SimEventRecord[]   (every stack event, with when it happened)
 *   GET  /_sim/faults    FaultRule[] still armed
 *   POST /_sim/reset
 *   POST /_sim/faults    FaultRule
 *   POST /_sim/advance   { seconds }
 *   POST /_sim/speed     { speed }
 *   GET  /_sim/config    SimSettings
 *   POST /_sim/config    Partial<SimSettings>           → SimSettings
 *   POST /_sim/other-client  OtherClientRequest         → OtherClientResult
 *   POST /_sim/drift     { stackName, logicalId, properties?: { Name: value | null }, deleted?, clear? } → DriftResult
 *   GET  /_sim/s3        [{ bucket, key, size }]          (objects in the simulator's own S3)
 */
import { checkedDriftRequest, type DriftRequest, type DriftResult } from './drift';
import { SimError } from './errors';
import { checkedRule } from './faults';
import { checkedOtherClientRequest } from './otherClient';
import { checkedSettings, type SimSettings } from './settings';
import type { CallRecord, FaultRule, OtherClientRequest, OtherClientResult, SimEventRecord, SimStackView } from './types';

export interface ControlTarget {
  state(): { now: string; speed: number; stacks: SimStackView[] };
  calls: () => CallRecord[];
  events: () => SimEventRecord[];
  faults(): FaultRule[];
  reset: () => void;
  inject: (rule: FaultRule) => void;
  advance: (seconds: number) => void;
  setSpeed: (speed: number) => void;
  settings(): SimSettings;
  configure: (settings: Partial<SimSettings>) => SimSettings;
  asOtherClient: (request: OtherClientRequest) => OtherClientResult;
  drift: (request: DriftRequest) => DriftResult;
  s3Objects(): { bucket: string; key: string; size: number }[];
}

export async function handleControl(target: ControlTarget, method: string, path: string, body: string): Promise<{ status: number; json: unknown }> {
  const route = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /_sim':
      case 'GET /_sim/state':
        return ok(target.state());
      case 'GET /_sim/calls':
        return ok(target.calls());
      case 'GET /_sim/events':
        return ok(target.events());
      case 'GET /_sim/faults':
        return ok(target.faults());
      case 'POST /_sim/reset':
        target.reset();
        return ok({ ok: true });
      case 'POST /_sim/faults':
        target.inject(checkedRule(parseJson(body)));
        return ok({ ok: true, faults: target.faults() });
      case 'POST /_sim/advance': {
        target.advance(numberField(parseJson(body), 'seconds'));
        return ok({ ok: true, now: target.state().now });
      }
      case 'POST /_sim/speed': {
        target.setSpeed(numberField(parseJson(body), 'speed'));
        return ok({ ok: true, speed: target.state().speed });
      }
      case 'GET /_sim/config':
        return ok(target.settings());
      case 'POST /_sim/config':
        return ok(target.configure(checkedSettings(parseJson(body))));
      case 'POST /_sim/other-client':
        return ok(target.asOtherClient(checkedOtherClientRequest(parseJson(body))));
      case 'POST /_sim/drift':
        return ok(target.drift(checkedDriftRequest(parseJson(body))));
      case 'GET /_sim/s3':
        return ok(target.s3Objects());
      default:
        return { status: 404, json: { error: `no control route ${route}` } };
    }
  } catch (error) {
    // CloudFormation's refusal of another client's request keeps its error code, e.g. ValidationError.
    if (error instanceof SimError) return { status: 400, json: { error: error.message, code: error.code } };
    return { status: 400, json: { error: error instanceof Error ? error.message : String(error) } };
  }
}

function ok(json: unknown): { status: number; json: unknown } {
  return { status: 200, json };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body === '' ? '{}' : body);
  } catch {
    throw new TypeError('the body must be JSON');
  }
}

function numberField(value: unknown, field: string): number {
  const n = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new TypeError(`expected { "${field}": number }`);
  return n;
}
