/**
 * The apply settings on a Deployment (quotaValidation, importExistingResources, artifactsGcsBucket,
 * workerPool), checked as the API checks them, and quota validation as an apply runs it.
 *
 * - quotaValidation is the QuotaValidation enum (config.proto): ENABLED, ENFORCED or
 *   QUOTA_VALIDATION_UNSPECIFIED; anything else is refused as JSON for an enum would be.
 * - workerPool must be `projects/{project}/locations/{location}/workerPools/{workerPoolId}`
 *   (Deployment.worker_pool); the sim refuses other shapes with 400 (the refusal is simulator-only:
 *   the docs give the format, not the error).
 * - artifactsGcsBucket "cannot be updated, including changing its presence" (Deployment.artifacts_gcs_bucket).
 * - A Preview has no quotaValidation or importExistingResources (Preview message in config.proto);
 *   a request naming them is refused like any unknown JSON field (proto3 JSON parsers reject
 *   unknown fields: https://protobuf.dev/programming-guides/proto3/#json).
 */
import type { Blueprint } from './blueprint';
import { invalid } from './errors';
import type { DeploymentSpec, RevisionRecord } from './model';

const QUOTA_VALIDATION = ['QUOTA_VALIDATION_UNSPECIFIED', 'ENABLED', 'ENFORCED'];
const WORKER_POOL = /^projects\/[^/]+\/locations\/[^/]+\/workerPools\/[^/]+$/;
const DEPLOYMENT_ONLY = ['quotaValidation', 'importExistingResources'];

export function checkApplyFields(spec: DeploymentSpec, what: 'deployment' | 'preview'): void {
  if (spec.quotaValidation !== undefined && !QUOTA_VALIDATION.includes(spec.quotaValidation)) {
    throw invalid(`Invalid value at '${what}.quota_validation' (type.googleapis.com/google.cloud.config.v1.QuotaValidation), "${spec.quotaValidation}"`);
  }
  if (spec.importExistingResources !== undefined && typeof spec.importExistingResources !== 'boolean') {
    throw invalid(`Invalid value at '${what}.import_existing_resources' (TYPE_BOOL), ${JSON.stringify(spec.importExistingResources)}`);
  }
  if (spec.workerPool !== undefined && !WORKER_POOL.test(spec.workerPool)) {
    throw invalid(`${what}.worker_pool "${spec.workerPool}" must look like projects/{project}/locations/{location}/workerPools/{workerPoolId}.`);
  }
  if (spec.artifactsGcsBucket !== undefined && !/^gs:\/\/[^/]+(\/.*)?$/.test(spec.artifactsGcsBucket)) {
    throw invalid(`${what}.artifacts_gcs_bucket "${spec.artifactsGcsBucket}" must look like gs://{bucket}/{folder}.`);
  }
}

export function refuseArtifactsBucketChange(current: DeploymentSpec, next: DeploymentSpec): void {
  if ((current.artifactsGcsBucket ?? '') === (next.artifactsGcsBucket ?? '')) return;
  throw invalid(`deployment.artifacts_gcs_bucket cannot be updated (it is ${current.artifactsGcsBucket ? `"${current.artifactsGcsBucket}"` : 'unset'}).`);
}

export function refuseDeploymentOnlyFields(body: Record<string, unknown>): void {
  for (const field of DEPLOYMENT_ONLY) {
    if (body[field] !== undefined) throw invalid(`Invalid JSON payload received. Unknown name "${field}" at 'preview': Cannot find field.`);
  }
}

/**
 * Quota validation at the end of the plan step: a resource with `# sim: quota-exceeded` is short of
 * quota. ENABLED records the results and goes on; ENFORCED fails the revision with
 * QUOTA_VALIDATION_FAILED (Revision.ErrorCode) before any resource is touched. The results object
 * path (Revision.quota_validation_results, "set when a user sets Deployment.quota_validation field
 * to ENABLED or ENFORCED") is the sim's own naming.
 */
export function validateQuota(spec: DeploymentSpec, blueprint: Blueprint, revision: RevisionRecord, artifacts: string): string | undefined {
  if (spec.quotaValidation !== 'ENABLED' && spec.quotaValidation !== 'ENFORCED') return undefined;
  revision.quotaValidationResults = `${artifacts}/quota-validation-results.json`;
  const short = blueprint.resources.filter((r) => r.directives.quotaExceeded).map((r) => r.address);
  if (short.length === 0 || spec.quotaValidation !== 'ENFORCED') return undefined;
  return `Quota validation failed: not enough quota to create ${short.join(', ')}. See ${revision.quotaValidationResults}.`;
}
