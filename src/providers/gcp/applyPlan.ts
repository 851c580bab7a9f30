/**
 * An apply does not carry out the reviewed preview: Infrastructure Manager applies a blueprint,
 * and the apply runs `terraform plan` again (its step RUNNING_TF_PLAN). If a resource changed
 * outside Terraform in between, the apply's plan differs from the preview's. The revision's
 * resources carry each address's intent in the apply's own plan, so once they are reported the
 * two can be compared, and a difference is named rather than passed over.
 */
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

const DONE_BY_APPLY: Record<string, string> = { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted', RECREATE: 'replaced', UNCHANGED: 'left unchanged' };
const SHOWN_BY_PREVIEW: Record<string, string> = { CREATE: 'a create', UPDATE: 'an update', DELETE: 'a delete', RECREATE: 'a replacement' };
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
    if (!address || !intent || !(intent in DONE_BY_APPLY)) continue;
    const shown = previewed[address];
    if (intent === 'UNCHANGED' ? shown === undefined : shown === intent) continue;
    differences.push(`${address} is ${DONE_BY_APPLY[intent]} (the preview showed ${shown ? (SHOWN_BY_PREVIEW[shown] ?? shown) : 'no change'})`);
  }
  return differences;
}

export function planDifferenceNotice(differences: readonly string[]): string | undefined {
  if (differences.length === 0) return undefined;
  const listed = differences.slice(0, MAX_LISTED).join('; ');
  const more = differences.length > MAX_LISTED ? `; and ${differences.length - MAX_LISTED} more` : '';
  return `The apply ran terraform plan again, and its plan differs from the preview you reviewed: ${listed}${more}. Infrastructure Manager applies its own plan, not the preview's (most often because a resource changed outside Terraform after the preview was made).`;
}
