/**
 * The `Metadata.Stackwatch` knobs a template uses to script the simulation:
 *
 *   Metadata:
 *     Stackwatch:
 *       Seconds: 5              # simulated seconds per operation on this resource (default: durations.ts)
 *       Fail: "reason"          # fail with this reason…
 *       FailOn: [create]        # …on these operations (create | update | delete; default create, update)
 *       FailRollback: "reason"  # fail this resource's rollback step, the first time only
 */
import { isRecord, type ResourceDecl } from './template';
import { valueText } from '../sim-kit/text';

export type FailPoint = 'create' | 'update' | 'delete';

export interface Knobs {
  /** Only when the template says; otherwise durations.ts decides. */
  seconds?: number;
  fail?: string;
  failOn: ReadonlySet<FailPoint>;
  failRollback?: string;
}

export function knobsOf(...decls: (ResourceDecl | undefined)[]): Knobs {
  const block = decls.map((d) => d?.metadata?.['Stackwatch']).find(isRecord);
  const seconds = Number(block?.['Seconds']);
  const failOnRaw = block?.['FailOn'];
  const failOn = failOnRaw === undefined ? ['create', 'update'] : (Array.isArray(failOnRaw) ? failOnRaw : [failOnRaw]).map((v) => String(v).toLowerCase());
  return {
    seconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined,
    fail: textOf(block?.['Fail']),
    failOn: new Set(failOn.filter((v): v is FailPoint => v === 'create' || v === 'update' || v === 'delete')),
    failRollback: textOf(block?.['FailRollback']),
  };
}

export function failureFor(knobs: Knobs, point: FailPoint): string | undefined {
  return knobs.failOn.has(point) ? knobs.fail : undefined;
}

function textOf(value: unknown): string | undefined {
  return value === undefined || value === null || value === false ? undefined : valueText(value);
}
