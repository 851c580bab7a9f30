/**
 * Save Plan's content: the preview's Terraform plan as Infrastructure Manager exports it (JSON
 * form, masked; planExport.ts), kept when the person reviews it, because the service deletes the
 * preview once it is applied.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type TemplateRequest } from '../provider';
import { where, type GcpContext } from './context';
import { decodeStagedId, deploymentResourceName, parseGcsSource, type StagedRef } from './names';
import { namesObject } from './ownApply';
import { exportedPlan } from './planExport';
import type { MaskingFacts } from './planMasking';
import { readDeployment, readPreview } from './reads';
import { planGoneError } from './reviewedPlans';
import { blueprintVariables } from './stagedBlueprint';

/** Well inside the machine's 25 s read deadline, after the preview and its changes were read. */
const REVIEW_EXPORT_MS = 8_000;

/**
 * The preview's Terraform plan as Infrastructure Manager exports it (JSON form, masked). A
 * preview does not change once planned, so the plan read at review time is served as is; that
 * also covers the time after the apply, when the service has deleted the preview.
 */
export async function savedPlan(ctx: GcpContext, { target, stagedId, signal }: TemplateRequest): Promise<string> {
  const ref = decodeStagedId(stagedId);
  const { reviewedPlans } = ctx.memory;
  const kept = reviewedPlans.recall(ref.preview);
  if (kept) return kept;
  try {
    const preview = await readPreview(ctx, ref.preview, signal);
    if (preview) {
      const plan = await exportedPlan(ctx, ref.preview, await maskingFacts(ctx, ref, preview), signal);
      reviewedPlans.remember(ref.preview, plan);
      return plan;
    }
  } catch (error) {
    // Deleted between the reads: the same as gone.
    if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
  }
  throw planGoneError(target.name, await runsBlueprint(ctx, target, ref.gcs, signal));
}

/**
 * Reads the preview's exported plan while the preview exists, for Save Plan after the apply.
 * It is best effort within a short budget: a plan that cannot be exported now is exported when
 * Save Plan asks (while the preview lasts), and never holds up or fails the review.
 */
export async function keepReviewedPlan(ctx: GcpContext, ref: StagedRef, preview: config_v1.Schema$Preview, signal: AbortSignal): Promise<void> {
  const { reviewedPlans } = ctx.memory;
  if (reviewedPlans.recall(ref.preview)) return;
  const budget = new AbortController();
  const stop = (): void => budget.abort();
  const timer = setTimeout(stop, ctx.deps.reviewExportMs ?? REVIEW_EXPORT_MS);
  signal.addEventListener('abort', stop, { once: true });
  try {
    reviewedPlans.remember(ref.preview, await exportedPlan(ctx, ref.preview, await maskingFacts(ctx, ref, preview), budget.signal));
  } catch (error) {
    if (signal.aborted) throw new ProviderError('Aborted', l10n.t('Reading the preview: cancelled.'), { cause: error });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}

/** What Save Plan needs to know to mask the exported plan. */
async function maskingFacts(ctx: GcpContext, ref: StagedRef, preview: config_v1.Schema$Preview): Promise<MaskingFacts> {
  const variables = await blueprintVariables(ctx.settings, ref);
  const sensitive = new Set(variables?.filter((v) => v.sensitive).map((v) => v.name));
  const knownSecrets = Object.entries(preview.terraformBlueprint?.inputValues ?? {})
    .filter(([name]) => !variables || sensitive.has(name))
    .map(([, input]): unknown => input.inputValue)
    .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
    .map(String);
  return { variables, knownSecrets };
}

/** Whether the deployment now runs this blueprint object (any generation); a failed read says no. */
async function runsBlueprint(ctx: GcpContext, target: { name: string; region?: string }, gcs: string, signal: AbortSignal): Promise<boolean> {
  try {
    const { bucket, object } = parseGcsSource(gcs);
    const deployment = await readDeployment(ctx, deploymentResourceName(where(ctx, target), target.name), signal);
    return namesObject(deployment?.terraformBlueprint?.gcsSource, bucket, object);
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'Aborted') throw error;
    return false;
  }
}
