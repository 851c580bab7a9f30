/**
 * Deployment options (a descriptor's `deploymentOptions`): which values are acceptable, which
 * apply to a staging, and what a set of remembered values becomes once checked. Pure; the machine,
 * the deployment manager and the view model all decide with these same functions.
 */
import * as l10n from '@vscode/l10n';
import type { DeploymentOptionSpec } from '../providers/descriptor';
import type { DeploymentOptionValues, TargetCondition } from '../providers/provider';

/** What a staging does to the target, as DeploymentOptionSpec.appliesTo names it. */
export type StagingKind = 'create' | 'update';

/** A target that is not there yet is created; anything else is updated. */
export function stagingKindOf(condition: TargetCondition | undefined): StagingKind {
  return condition === undefined || condition === 'missing' ? 'create' : 'update';
}

export function appliesTo(spec: DeploymentOptionSpec, kind: StagingKind): boolean {
  return spec.appliesTo === 'always' || spec.appliesTo === kind;
}

/** A value of the right kind for the spec: a boolean for a flag, one of the listed values for a choice. */
export function isValidValue(spec: DeploymentOptionSpec, value: unknown): value is boolean | string {
  if (spec.kind === 'flag') return typeof value === 'boolean';
  return typeof value === 'string' && (spec.choices ?? []).some((choice) => choice.value === value);
}

/** The value in force: the one chosen, when it is still valid, otherwise the spec's default. */
export function effectiveValue(spec: DeploymentOptionSpec, values: DeploymentOptionValues | undefined): boolean | string {
  const chosen = values?.[spec.id];
  return chosen !== undefined && isValidValue(spec, chosen) ? chosen : spec.default;
}

/**
 * Whether a person's change (SET_OPTION) is taken: a known option, a valid value, one that applies
 * to this staging, and a value different from the one in force (the same value stages nothing anew).
 */
export function acceptsOption(
  specs: readonly DeploymentOptionSpec[],
  values: DeploymentOptionValues | undefined,
  kind: StagingKind,
  change: { id: string; value: unknown },
): boolean {
  const spec = specs.find((s) => s.id === change.id);
  if (!spec || !appliesTo(spec, kind) || !isValidValue(spec, change.value)) return false;
  return effectiveValue(spec, values) !== change.value;
}

/**
 * Remembered values as stored (workspace state, from an older version or edited by hand), checked
 * against today's specs: only known ids with valid values are kept.
 */
export function checkedOptions(specs: readonly DeploymentOptionSpec[], stored: unknown): DeploymentOptionValues {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
  const record = stored as Record<string, unknown>;
  const kept: Record<string, boolean | string> = {};
  for (const spec of specs) {
    const value = record[spec.id];
    if (isValidValue(spec, value)) kept[spec.id] = value;
  }
  return kept;
}

/**
 * What the options in force give up (DeploymentOptionSpec.givesUp), for those that apply to this
 * staging: a flag turned on, or the chosen value of a choice. Empty when nothing is given up.
 */
export function givenUp(specs: readonly DeploymentOptionSpec[], values: DeploymentOptionValues | undefined, kind: StagingKind): string[] {
  return specs.flatMap((spec) => {
    if (!appliesTo(spec, kind)) return [];
    const value = effectiveValue(spec, values);
    if (value === spec.default) return [];
    const what = spec.kind === 'flag' ? (value === true ? spec.givesUp : undefined) : spec.choices?.find((choice) => choice.value === value)?.givesUp;
    return what === undefined
      ? []
      : [l10n.t({ message: '{0}: {1}', args: [spec.label, what], comment: ['A deployment option, then what it gives up ("Disable rollback: …").'] })];
  });
}

/** Why auto-execute waits for the person: options chosen earlier that give something up. */
export function givenUpNotice(given: readonly string[]): string {
  return l10n.t(
    'Auto-execute is on, but these changes wait for your review because options in force give something up ({0}). Execute them yourself, or change the option in the review.',
    given.join('; '),
  );
}
