/**
 * The settings an apply carries beyond the blueprint: the Terraform version constraint, quota
 * validation, importing existing resources, the artifacts bucket and the Cloud Build worker pool.
 *
 * Each is sent only when the person set it, and only then named in a patch's updateMask: a patch
 * that names a field it leaves empty clears it, and a value someone configured on the deployment
 * with gcloud or the console must survive our applies. The Terraform version matters most: the
 * service cannot go back to an earlier version once a deployment moved on
 * (https://cloud.google.com/infrastructure-manager/docs/terraform, "Supported Terraform versions").
 *
 * The format checks are plain functions returning a problem (or undefined) so the settings schema
 * and the adapter refuse the same values with the same words.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError } from '../provider';
import { GCP_SETTING_KEYS, type GcpProviderSettings } from './settings';

export const QUOTA_VALIDATION_VALUES = ['ENABLED', 'ENFORCED'] as const;
export type QuotaValidation = (typeof QUOTA_VALIDATION_VALUES)[number];

const WORKER_POOL = /^projects\/([^/\s]+)\/locations\/([^/\s]+)\/workerPools\/([^/\s]+)$/;
/** Cloud Storage bucket names: 3–63 of lower-case letters, digits, `-`, `_` and `.`, alphanumeric at both ends. */
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

export function quotaValidationProblem(value: string): string | undefined {
  if ((QUOTA_VALIDATION_VALUES as readonly string[]).includes(value)) return undefined;
  const meant = QUOTA_VALIDATION_VALUES.find((v) => v === value.trim().toUpperCase());
  const key = GCP_SETTING_KEYS.quotaValidation;
  const shown = value.slice(0, 40);
  return meant
    ? l10n.t(
        '{0} is "{1}"; it must be "ENABLED" (report resources without enough quota) or "ENFORCED" (fail the apply when quota is short), or empty. Did you mean "{2}"?',
        key,
        shown,
        meant,
      )
    : l10n.t(
        '{0} is "{1}"; it must be "ENABLED" (report resources without enough quota) or "ENFORCED" (fail the apply when quota is short), or empty.',
        key,
        shown,
      );
}

/** `where` (the deployment's project and location) turns a bare pool ID into a suggestion. */
export function workerPoolProblem(value: string, where?: { project?: string; location?: string }): string | undefined {
  if (WORKER_POOL.test(value)) return undefined;
  const key = GCP_SETTING_KEYS.workerPool;
  const shown = value.slice(0, 80);
  if (/^[a-z][a-z0-9-]*$/.test(value) && where?.project) {
    const meant = `projects/${where.project}/locations/${where.location || 'LOCATION'}/workerPools/${value}`;
    return l10n.t(
      '{0} is "{1}"; it must be a Cloud Build worker pool\'s full name, projects/PROJECT/locations/LOCATION/workerPools/POOL. Did you mean "{2}"?',
      key,
      shown,
      meant,
    );
  }
  return l10n.t('{0} is "{1}"; it must be a Cloud Build worker pool\'s full name, projects/PROJECT/locations/LOCATION/workerPools/POOL.', key, shown);
}

export function artifactsBucketProblem(value: string): string | undefined {
  const match = /^gs:\/\/([^/]+)(\/.*)?$/.exec(value);
  if (!match)
    return l10n.t(
      '{0} is "{1}"; it must be a Cloud Storage location gs://BUCKET or gs://BUCKET/FOLDER, e.g. "gs://my-project-123-im-artifacts" or "gs://my-bucket/stackwatch".',
      GCP_SETTING_KEYS.artifactsGcsBucket,
      value.slice(0, 80),
    );
  const bucket = match[1] ?? '';
  if (!BUCKET.test(bucket))
    return l10n.t(
      '{0} names the bucket "{1}", which is not a Cloud Storage bucket name (3–63 lower-case letters, digits, "-", "_" or ".").',
      GCP_SETTING_KEYS.artifactsGcsBucket,
      bucket.slice(0, 70),
    );
  return undefined;
}

/** Refuses a malformed apply setting before anything is uploaded; the message names the setting. */
export function checkApplySettings(settings: GcpProviderSettings): void {
  const problems = [
    settings.quotaValidation !== undefined ? quotaValidationProblem(settings.quotaValidation) : undefined,
    settings.workerPool ? workerPoolProblem(settings.workerPool, settings) : undefined,
    settings.artifactsGcsBucket ? artifactsBucketProblem(settings.artifactsGcsBucket) : undefined,
  ];
  const problem = problems.find((p) => p !== undefined);
  if (problem) throw new ProviderError('Validation', problem, { providerCode: 'INVALID_SETTING' });
}

/**
 * The artifacts bucket is fixed when a deployment is created ("The field cannot be updated,
 * including changing its presence": Deployment.artifactsGcsBucket in config v1). A different one
 * in the settings would fail the apply after the preview; say so before anything is uploaded.
 */
export function refuseArtifactsBucketChange(settings: GcpProviderSettings, deployment: config_v1.Schema$Deployment | undefined, deploymentName: string): void {
  const wanted = settings.artifactsGcsBucket;
  if (!wanted || !deployment || deployment.state === 'DELETED') return;
  const current = deployment.artifactsGcsBucket ?? '';
  if (sameLocation(current, wanted)) return;
  throw new ProviderError(
    'Validation',
    current
      ? l10n.t(
          '{0} is {1}, but {2} keeps its artifacts in {3}; Infrastructure Manager fixes it when a deployment is created. Nothing was uploaded.',
          GCP_SETTING_KEYS.artifactsGcsBucket,
          wanted,
          deploymentName,
          current,
        )
      : l10n.t(
          '{0} is {1}, but {2} was created without an artifacts bucket; Infrastructure Manager fixes it when a deployment is created. Nothing was uploaded.',
          GCP_SETTING_KEYS.artifactsGcsBucket,
          wanted,
          deploymentName,
        ),
    {
      hint: current
        ? l10n.t('Set {0} to "{1}" for this deployment, or deploy to a new deployment ID.', GCP_SETTING_KEYS.artifactsGcsBucket, current)
        : l10n.t('Set {0} to nothing for this deployment, or deploy to a new deployment ID.', GCP_SETTING_KEYS.artifactsGcsBucket),
      providerCode: 'ARTIFACTS_BUCKET_FIXED',
    },
  );
}

function sameLocation(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

type PreviewFields = Pick<config_v1.Schema$Preview, 'tfVersionConstraint' | 'artifactsGcsBucket' | 'workerPool'>;
type DeploymentFields = Pick<
  config_v1.Schema$Deployment,
  'tfVersionConstraint' | 'quotaValidation' | 'importExistingResources' | 'artifactsGcsBucket' | 'workerPool'
>;

/**
 * What a preview request carries. A Preview has no quotaValidation or importExistingResources
 * (config v1 Preview message): they act on the apply only.
 */
export function previewSettingFields(settings: GcpProviderSettings): PreviewFields {
  return {
    ...(settings.terraformVersion ? { tfVersionConstraint: settings.terraformVersion } : {}),
    ...(settings.artifactsGcsBucket ? { artifactsGcsBucket: settings.artifactsGcsBucket } : {}),
    ...(settings.workerPool ? { workerPool: settings.workerPool } : {}),
  };
}

/**
 * What a create or patch carries, and the updateMask paths of a patch. `plannedConstraint` is the
 * version constraint the preview was planned with, so the apply runs what was previewed. The
 * artifacts bucket goes on a create only: it cannot change afterwards.
 */
export function deploymentSettingFields(
  settings: GcpProviderSettings,
  create: boolean,
  plannedConstraint?: string | null,
): { fields: DeploymentFields; mask: string[] } {
  const fields: DeploymentFields = {};
  if (settings.terraformVersion) fields.tfVersionConstraint = plannedConstraint || settings.terraformVersion;
  if (settings.quotaValidation) fields.quotaValidation = settings.quotaValidation;
  if (settings.importExistingResources === true) fields.importExistingResources = true;
  if (settings.workerPool) fields.workerPool = settings.workerPool;
  if (create && settings.artifactsGcsBucket) fields.artifactsGcsBucket = settings.artifactsGcsBucket;
  const mask = Object.keys(fields).filter((field) => field !== 'artifactsGcsBucket');
  return { fields, mask };
}
