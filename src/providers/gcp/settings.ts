/**
 * What the Infrastructure Manager adapter needs beyond the TargetRef, and the names of the
 * settings each field comes from, so every message can point at the one to fix.
 */
import type { StackSettings } from '../../config/stackSettings';

export interface GcpProviderSettings {
  project: string;
  location: string;
  /** The Infrastructure Manager deployment's ID, which the person chose (also TargetRef.name); its setting is still named deploymentId. */
  deploymentName: string;
  /** Full resource name or bare email; normalized with `serviceAccountName`. */
  serviceAccount: string;
  /** Absolute path of the Terraform root module. */
  blueprintFolder: string;
  inputValues: Record<string, unknown>;
  /**
   * A Terraform version constraint, e.g. "1.5.7" or ">=1.5". Unset: none is sent, so a constraint
   * set on the deployment elsewhere stays (the service cannot go back to an earlier version).
   */
  terraformVersion?: string;
  /** Deployment.quotaValidation; unset leaves the deployment's own. */
  quotaValidation?: 'ENABLED' | 'ENFORCED';
  /** Deployment.importExistingResources; only `true` is sent (false leaves the deployment's own). */
  importExistingResources?: boolean;
  /** `gs://bucket[/folder]` for Cloud Build logs and artifacts; fixed when the deployment is created. */
  artifactsGcsBucket?: string;
  /** `projects/P/locations/L/workerPools/W`, the Cloud Build worker pool Terraform runs in. */
  workerPool?: string;
  /** Bucket the zipped blueprint is uploaded to before previews and applies read it. */
  stagingBucket: string;
  /** rootUrl for both APIs (a local endpoint); empty means Google. */
  endpoint?: string;
  /**
   * The workspace folder: symlinks in the blueprint may lead anywhere inside it, and nowhere
   * outside. Absent (tools, tests), the blueprint folder itself is that boundary.
   */
  workspaceFolder?: string;
}

/** Infrastructure Manager: the adapter's own settings plus what every deployment has. */
export interface GcpStackSettings extends GcpProviderSettings, StackSettings {
  provider: 'gcp';
}

export const GCP_SETTING_KEYS = {
  project: 'stackwatch.gcp.project',
  location: 'stackwatch.gcp.location',
  deploymentName: 'stackwatch.gcp.deploymentId',
  serviceAccount: 'stackwatch.gcp.serviceAccount',
  blueprintFolder: 'stackwatch.gcp.blueprintFolder',
  inputValues: 'stackwatch.gcp.inputValues',
  terraformVersion: 'stackwatch.gcp.terraformVersion',
  stagingBucket: 'stackwatch.gcp.stagingBucket',
  endpoint: 'stackwatch.gcp.endpoint',
  quotaValidation: 'stackwatch.gcp.quotaValidation',
  importExistingResources: 'stackwatch.gcp.importExistingResources',
  artifactsGcsBucket: 'stackwatch.gcp.artifactsGcsBucket',
  workerPool: 'stackwatch.gcp.workerPool',
} as const satisfies Record<Exclude<keyof GcpProviderSettings, 'workspaceFolder'>, string>;

const RESOURCE_NAME = /^projects\/[^/]+\/serviceAccounts\/[^/]+$/;

/**
 * Infrastructure Manager wants `projects/P/serviceAccounts/EMAIL`; people paste the email.
 * A user-managed account's email names its own project (x@P.iam.gserviceaccount.com), which
 * may differ from the deployment's; other emails are taken to live in the deployment's project.
 */
export function serviceAccountName(value: string, project: string): string {
  const trimmed = value.trim();
  if (RESOURCE_NAME.test(trimmed)) return trimmed;
  const own = /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(trimmed);
  return `projects/${own?.[1] ?? project}/serviceAccounts/${trimmed}`;
}

/** True when the value looks like an email or a service account resource name. */
export function isServiceAccountLike(value: string): boolean {
  const trimmed = value.trim();
  return RESOURCE_NAME.test(trimmed) || /^[^@\s/]+@[^@\s/]+$/.test(trimmed);
}
