/**
 * An apply does not carry out the reviewed preview: Infrastructure Manager applies a blueprint,
 * and the apply runs `terraform plan` again (its step RUNNING_TF_PLAN). If a resource changed
 * outside Terraform in between, the apply's plan differs from the preview's. The revision's
 * resources carry each address's intent in the apply's own plan, so once they are reported the
 * two can be compared, and a difference is named rather than passed over.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';

/** Intent by resource address; UNCHANGED is left out (the preview lists only changes). */
export type PlannedIntents = Record<string, string>;

export function previewedIntents(changes: readonly config_v1.Schema$ResourceChange[]): PlannedIntents {
  const intents: PlannedIntents = {};
  for (const change of changes) {
    const address = change.terraformInfo?.address;
    if (address && change.intent && change.intent !== 'UNCHANGED') intents[address] = change.intent;
  }
  return intents;
}

/** The intents of previews this window read, by preview name, for the applies made from them. */
export class PreviewedPlans {
  private readonly byPreview = new Map<string, PlannedIntents>();
  private readonly byOperation = new Map<string, PlannedIntents>();

  rememberPreview(preview: string, intents: PlannedIntents): void {
    this.byPreview.set(preview, intents);
  }

  /** The apply `operation` was made from `preview`; nothing when this window never read it. */
  linkOperation(operation: string, preview: string): void {
    const intents = this.byPreview.get(preview);
    if (intents) this.byOperation.set(operation, intents);
  }

  forOperation(operation: string | undefined): PlannedIntents | undefined {
    return operation === undefined ? undefined : this.byOperation.get(operation);
  }

  clear(): void {
    this.byPreview.clear();
    this.byOperation.clear();
  }
}

const APPLY_INTENTS = new Set(['CREATE', 'UPDATE', 'DELETE', 'RECREATE', 'UNCHANGED']);

/** What the apply's plan does to `address`, as a clause. */
function doneByApply(address: string, intent: string): string {
  switch (intent) {
    case 'CREATE':
      return l10n.t('{0} is created', address);
    case 'UPDATE':
      return l10n.t('{0} is updated', address);
    case 'DELETE':
      return l10n.t('{0} is deleted', address);
    case 'RECREATE':
      return l10n.t('{0} is replaced', address);
    default:
      return l10n.t('{0} is left unchanged', address);
  }
}

/** What the preview showed for the address, as a clause; an intent we have no words for is named as received. */
function shownByPreview(intent: string | undefined): string {
  switch (intent) {
    case undefined:
      return l10n.t('the preview showed no change');
    case 'CREATE':
      return l10n.t('the preview showed a create');
    case 'UPDATE':
      return l10n.t('the preview showed an update');
    case 'DELETE':
      return l10n.t('the preview showed a delete');
    case 'RECREATE':
      return l10n.t('the preview showed a replacement');
    default:
      return l10n.t('the preview showed {0}', intent);
  }
}

const MAX_LISTED = 5;

/**
 * Where the apply's plan (the revision's resources) differs from the preview: resources the apply
 * changes differently or that the preview did not show, and resources the preview showed changing
 * that the apply lists as unchanged. A resource the revision does not list is no evidence either
 * way (a deleted one leaves the state; a failed apply never reaches some), so it is not compared.
 */
export function planDifferences(previewed: PlannedIntents, resources: readonly config_v1.Schema$Resource[]): string[] {
  const differences: string[] = [];
  for (const resource of resources) {
    const address = resource.terraformInfo?.address;
    const intent = resource.intent ?? undefined;
    if (!address || !intent || !APPLY_INTENTS.has(intent)) continue;
    const shown = previewed[address];
    if (intent === 'UNCHANGED' ? shown === undefined : shown === intent) continue;
    differences.push(
      l10n.t({
        message: '{0} ({1})',
        args: [doneByApply(address, intent), shownByPreview(shown)],
        comment: ['A resource the apply changes differently from the preview: {0} what the apply does, {1} what the preview showed.'],
      }),
    );
  }
  return differences;
}

export function planDifferenceNotice(differences: readonly string[]): string | undefined {
  if (differences.length === 0) return undefined;
  const listed = differences.slice(0, MAX_LISTED).join('; ');
  const hidden = differences.length - MAX_LISTED;
  if (hidden === 1)
    return l10n.t(
      "The apply ran terraform plan again, and its plan differs from the preview you reviewed: {0}; and 1 more. Infrastructure Manager applies its own plan, not the preview's (most often because a resource changed outside Terraform after the preview was made).",
      listed,
    );
  return hidden > 1
    ? l10n.t(
        "The apply ran terraform plan again, and its plan differs from the preview you reviewed: {0}; and {1} more. Infrastructure Manager applies its own plan, not the preview's (most often because a resource changed outside Terraform after the preview was made).",
        listed,
        hidden,
      )
    : l10n.t(
        "The apply ran terraform plan again, and its plan differs from the preview you reviewed: {0}. Infrastructure Manager applies its own plan, not the preview's (most often because a resource changed outside Terraform after the preview was made).",
        listed,
      );
}
