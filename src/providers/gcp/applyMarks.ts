/**
 * How our applies are marked on the deployment: two annotations (Deployment.annotations, "to help
 * client tools identify deployments during automation", config v1), not labels, which people use
 * for billing and policy and which hold only 63 characters.
 *
 * - `stackwatch.dev/apply`: the request ID of the staged preview an apply came from;
 * - `stackwatch.dev/blueprint-sha256`: a digest of the blueprint zip and its inputs (absent when
 *   an input is sensitive), so "no resource changes" can be told from "same blueprint".
 *
 * An update mask replaces a map field whole, so the annotations sent are the deployment's own
 * (as just read) with ours set on top. Stackwatch before this version used the labels
 * `stackwatch-apply` and `stackwatch-blueprint`: they are still read, and removed by our next
 * apply so a stale digest label cannot speak for a later blueprint.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { requestId, type StagedRef } from './names';

export const APPLY_ANNOTATION = 'stackwatch.dev/apply';
/** The same key marks the preview's planned digest and the deployment's applied one. */
export const DIGEST_ANNOTATION = 'stackwatch.dev/blueprint-sha256';
const LEGACY_APPLY_LABEL = 'stackwatch-apply';
const LEGACY_DIGEST_LABEL = 'stackwatch-blueprint';

/** Label values: lower-case letters, digits, `-` and `_`, at most 63 characters. */
export function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 63);
}

/** Only the preview names the apply: the mark is known from (deploymentId, preview) alone. */
export function applyMark(deploymentId: string, ref: Pick<StagedRef, 'preview'>): string {
  return requestId(deploymentId, 'apply', ref.preview);
}

/** Whether the deployment carries the mark of this staged preview's apply (or the label an earlier version set). */
export function carriesApplyMark(deployment: config_v1.Schema$Deployment | undefined, deploymentId: string, ref: Pick<StagedRef, 'preview'>): boolean {
  if (!deployment || deployment.state === 'DELETED') return false;
  const mark = applyMark(deploymentId, ref);
  return deployment.annotations?.[APPLY_ANNOTATION] === mark || deployment.labels?.[LEGACY_APPLY_LABEL] === labelValue(mark);
}

/** The digest our last apply recorded; the annotation wins, the old label speaks only without one. */
export function appliedDigestMatches(deployment: config_v1.Schema$Deployment | undefined, digest: string): boolean {
  const annotated = deployment?.annotations?.[APPLY_ANNOTATION] !== undefined || deployment?.annotations?.[DIGEST_ANNOTATION] !== undefined;
  if (annotated) return deployment?.annotations?.[DIGEST_ANNOTATION] === digest;
  return deployment?.labels?.[LEGACY_DIGEST_LABEL] === digest.slice(0, 63);
}

/**
 * The annotations (and, only to drop an earlier version's marks, the labels) an apply sends, with
 * the updateMask paths they need. `digest` is the preview's; without one no digest is recorded.
 */
export function applyMarkFields(
  deployment: config_v1.Schema$Deployment | undefined,
  mark: string,
  digest: string | undefined,
): { fields: Pick<config_v1.Schema$Deployment, 'annotations' | 'labels'>; mask: string[] } {
  const { [DIGEST_ANNOTATION]: _staleDigest, ...annotations } = deployment?.annotations ?? {};
  const fields: Pick<config_v1.Schema$Deployment, 'annotations' | 'labels'> = {
    annotations: { ...annotations, [APPLY_ANNOTATION]: mark, ...(digest ? { [DIGEST_ANNOTATION]: digest } : {}) },
  };
  const labels = deployment?.labels ?? {};
  if (!(LEGACY_APPLY_LABEL in labels) && !(LEGACY_DIGEST_LABEL in labels)) return { fields, mask: ['annotations'] };
  const { [LEGACY_APPLY_LABEL]: _apply, [LEGACY_DIGEST_LABEL]: _digest, ...rest } = labels;
  return { fields: { ...fields, labels: rest }, mask: ['annotations', 'labels'] };
}
