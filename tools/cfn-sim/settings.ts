/**
 * Behaviour switches that can change while the simulator runs (from the options, `configure()`
 * or `POST /_sim/config`): how the endpoint answers, and how long work takes.
 */
import type { DurationMode } from './durations';
import type { ExistingResource } from './existingResources';

export interface SimSettings {
  /** Simulated seconds from CREATE_PENDING to CREATE_COMPLETE (CREATE_IN_PROGRESS after a quarter). */
  changeSetSeconds: number;
  /** DescribeStackEvents shows each event's ClientRequestToken. False plays an endpoint that does not echo it. */
  echoEventTokens: boolean;
  /** Events carry OperationId and DescribeStacks carries LastOperations. False plays an endpoint without them. */
  echoOperationIds: boolean;
  /** Resource step durations when the template gives no `Seconds`: see durations.ts. */
  durations: DurationMode;
  /** Seed of the 'realistic' spread and of the jitter. */
  durationSeed: number;
  /**
   * Fraction in [0, 1): a template's `Seconds` and the fixed default vary by up to ± this much,
   * the same for every stack with the same resource under one seed (durations.ts). 0: exact.
   */
  durationJitter: number;
  /**
   * An UPDATE change set whose template has a Transform and changes nothing: 'failed' ends the
   * change set FAILED with "No updates are to be performed." (what the recorded traces show);
   * 'error' makes CreateChangeSet itself throw that ValidationError.
   */
  noUpdatesWithTransform: 'failed' | 'error';
  /** Named resources that exist outside any stack: name conflicts, or imports with ImportExistingResources (existingResources.ts). */
  existingResources: ExistingResource[];
}

export const DEFAULT_SETTINGS: SimSettings = {
  changeSetSeconds: 2,
  echoEventTokens: true,
  echoOperationIds: true,
  durations: 'fixed',
  durationSeed: 1,
  durationJitter: 0,
  noUpdatesWithTransform: 'failed',
  existingResources: [],
};

/** Validates a partial settings object from JSON or from callers that are not type-checked. */
export function checkedSettings(value: unknown): Partial<SimSettings> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('settings are an object, e.g. { "echoEventTokens": false }');
  const input = value as Record<string, unknown>;
  const result: Partial<SimSettings> = {};
  for (const [key, raw] of Object.entries(input)) {
    switch (key) {
      case 'changeSetSeconds':
        if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) throw new TypeError('changeSetSeconds must be a non-negative number');
        result.changeSetSeconds = raw;
        break;
      case 'echoEventTokens':
      case 'echoOperationIds':
        if (typeof raw !== 'boolean') throw new TypeError(`${key} must be true or false`);
        result[key] = raw;
        break;
      case 'durations':
        if (raw !== 'fixed' && raw !== 'realistic') throw new TypeError('durations must be "fixed" or "realistic"');
        result.durations = raw;
        break;
      case 'durationSeed':
        if (typeof raw !== 'number' || !Number.isInteger(raw)) throw new TypeError('durationSeed must be an integer');
        result.durationSeed = raw;
        break;
      case 'durationJitter':
        if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw >= 1)
          throw new TypeError('durationJitter must be a fraction in [0, 1), e.g. 0.2');
        result.durationJitter = raw;
        break;
      case 'noUpdatesWithTransform':
        if (raw !== 'failed' && raw !== 'error') throw new TypeError('noUpdatesWithTransform must be "failed" or "error"');
        result.noUpdatesWithTransform = raw;
        break;
      case 'existingResources':
        result.existingResources = checkedExistingResources(raw);
        break;
      default:
        throw new TypeError(`unknown setting ${key}; known: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`);
    }
  }
  return result;
}

function checkedExistingResources(raw: unknown): ExistingResource[] {
  const items = Array.isArray(raw) ? (raw as unknown[]) : undefined;
  const valid = items?.every((item) => {
    const r = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
    return typeof r?.['type'] === 'string' && typeof r['identifier'] === 'string';
  });
  if (!items || !valid) throw new TypeError('existingResources must be a list of { "type": "AWS::S3::Bucket", "identifier": "name" }');
  return items.map((item) => {
    const r = item as Record<string, string>;
    return { type: r['type'], identifier: r['identifier'] };
  });
}
