/**
 * The parts of the monitor's view model that need the host: what the provider's descriptor and
 * runtime can do (open the template at a place, open the console, diff the deployed template),
 * the review's deployment options (and those saved after a failed staging), and the findings of the provider's validation. Pure; the URL
 * of a console link is asked only to learn whether there is one, and never leaves the host.
 */
import * as l10n from '@vscode/l10n';
import type { DeploymentSnapshot } from '../deployment/machine';
import { appliesTo, effectiveValue, stagingKindOf, type StagingKind } from '../deployment/deploymentOptions';
import type { ResourceState } from '../deployment/resources';
import { endedInStaging } from '../deployment/snapshotReaders';
import type { DeploymentOptionSpec } from '../providers/descriptor';
import type { DeploymentOptionValues } from '../providers/provider';
import { descriptorOf } from '../providers/registry';
import type { ChangeRow, FindingRow, MonitorPhase, OptionRow } from '../shared/viewModel';

/** What the host can do for this deployment (DeploymentSession.capabilities); all false when unknown. */
export interface ViewCapabilities {
  /** The provider's runtime can place a pointer in the template (ProviderRuntime.locate). */
  locate?: boolean;
  /** The provider can read the deployed template (Provider.deployedTemplate). */
  compare?: boolean;
}

/** Rows nested deeper than this are shown at this depth: a cycle in parents must not hang the host. */
const MAX_DEPTH = 16;

/** 1 for a child of a top-level row, and so on; 0 at the top. */
export function depthOf(change: { parent?: string }, parents: ReadonlyMap<string, string | undefined>): number {
  let depth = 0;
  for (let parent = change.parent; parent !== undefined && depth < MAX_DEPTH; parent = parents.get(parent)) depth++;
  return depth;
}

/** The row fields the host adds: times, stabilizing, depth, and which of its actions can work. */
export function withRowDetails(snapshot: DeploymentSnapshot, rows: ChangeRow[], capabilities: ViewCapabilities): ChangeRow[] {
  const { context } = snapshot;
  const descriptor = descriptorOf(context.target.provider);
  const parents = new Map(rows.map((row) => [row.logicalId, row.parent]));
  const locatable = capabilities.locate === true && context.initialized?.template !== undefined;
  const targetId = context.staged?.targetId ?? context.described?.targetId;
  return rows.map((row) => {
    const state: ResourceState | undefined = context.resources[row.logicalId];
    const next: ChangeRow = { ...row };
    if (state?.startedAt) next.startedAt = state.startedAt;
    if (state?.settledAt) next.endedAt = state.settledAt;
    if (state?.stabilizing && state.status === 'inProgress') next.stabilizing = true;
    const depth = depthOf(row, parents);
    if (depth > 0) next.depth = depth;
    const link = descriptor.consoleUrl?.({
      target: context.target,
      ...(targetId !== undefined ? { targetId } : {}),
      logicalId: row.logicalId,
      resourceType: row.resourceType,
      ...(next.physicalId !== undefined ? { physicalId: next.physicalId } : {}),
    });
    if (link !== undefined) next.hasConsoleLink = true;
    if (locatable) next.hasLocation = true;
    return next;
  });
}

/** The findings of the provider's validation, as the monitor lists them (Go to Line by index). */
export function findingRows(snapshot: DeploymentSnapshot, capabilities: ViewCapabilities): FindingRow[] {
  const { context } = snapshot;
  const locatable = capabilities.locate === true && context.initialized?.template !== undefined;
  return (context.findings ?? []).map((finding) => {
    const row: FindingRow = {
      severity: finding.severity,
      message: finding.message,
      hasLocation: locatable && (finding.logicalId !== undefined || finding.path !== undefined),
    };
    if (finding.logicalId !== undefined) row.logicalId = finding.logicalId;
    if (finding.path !== undefined) row.path = finding.path;
    return row;
  });
}

/**
 * Why an option that applies cannot be changed now; undefined where it can: in the review, and
 * once staging failed with nothing executed (a change is then saved for the next deployment).
 */
function readOnlyNote(phase: MonitorPhase, editableAtEnd: boolean): string | undefined {
  if (phase === 'review' || editableAtEnd) return undefined;
  // 'starting' here is a re-stage loading the template again (optionRows shows nothing else then).
  return phase === 'staging' || phase === 'starting'
    ? l10n.t('It can be changed in the review, once the changes are staged.')
    : l10n.t('The changes were staged with it.');
}

function optionRow(spec: DeploymentOptionSpec, value: boolean | string, kind: StagingKind, readOnly: string | undefined): OptionRow {
  const row: OptionRow = { id: spec.id, label: spec.label, description: spec.description, kind: spec.kind, value, enabled: false };
  if (spec.choices) row.choices = spec.choices.map((choice) => ({ value: choice.value, label: choice.label }));
  if (!appliesTo(spec, kind))
    row.note = kind === 'create' ? l10n.t('Applies only when updating an existing target.') : l10n.t('Applies only when creating the target.');
  else if (readOnly !== undefined) row.note = readOnly;
  else row.enabled = true;
  return row;
}

function specsOf(snapshot: DeploymentSnapshot): readonly DeploymentOptionSpec[] {
  return descriptorOf(snapshot.context.target.provider).deploymentOptions ?? [];
}

/**
 * The review's options: editable in the review; read-only while (re)staging and once the changes
 * run, so the page keeps saying which options the deployment was staged with. Once staging failed
 * with nothing executed they are editable again, showing `saved` (what is remembered for the
 * target now; the deployment's own options when left out): a change is for the next deployment.
 * Absent before anything was staged, and when the provider offers none.
 */
export function optionRows(
  snapshot: DeploymentSnapshot,
  phase: MonitorPhase,
  specs: readonly DeploymentOptionSpec[] = specsOf(snapshot),
  saved?: DeploymentOptionValues,
): OptionRow[] | undefined {
  const { context } = snapshot;
  if (specs.length === 0) return undefined;
  const editableAtEnd = endedInStaging(snapshot);
  // A re-stage loads the template again first (phase 'starting', resumeStaging): the rows stay, with the value chosen.
  const restaging = phase === 'starting' && context.resumeStaging === true;
  const staging = ((phase === 'staging' && context.stageSent) || restaging) && !snapshot.hasTag('cleaningUp');
  const shown = phase === 'review' || staging || editableAtEnd || ((phase === 'monitoring' || phase === 'final') && context.staged !== undefined);
  if (!shown) return undefined;
  const kind = stagingKindOf(context.described?.condition);
  const values = editableAtEnd ? (saved ?? context.options) : context.options;
  return specs.map((spec) => optionRow(spec, effectiveValue(spec, values), kind, readOnlyNote(phase, editableAtEnd)));
}

/**
 * Once staging failed, a changed option is saved for the target rather than staged: the group says
 * so as soon as what is saved differs from what this deployment staged with.
 */
export function savedOptionsNote(
  snapshot: DeploymentSnapshot,
  saved: DeploymentOptionValues | undefined,
  specs: readonly DeploymentOptionSpec[] = specsOf(snapshot),
): string | undefined {
  const { context } = snapshot;
  if (saved === undefined || !endedInStaging(snapshot)) return undefined;
  const differs = specs.some((spec) => effectiveValue(spec, saved) !== effectiveValue(spec, context.options));
  return differs ? l10n.t('Saved for {0}; used when you deploy again.', context.target.name) : undefined;
}

/** Compare with Deployed: there is a deployed template to read, and something staged to diff it with. */
export function canCompare(snapshot: DeploymentSnapshot, phase: MonitorPhase, capabilities: ViewCapabilities): boolean {
  const { context } = snapshot;
  if (capabilities.compare !== true || context.described === undefined || context.described.condition === 'missing') return false;
  return phase === 'review' || ((phase === 'monitoring' || phase === 'final') && context.staged !== undefined);
}
