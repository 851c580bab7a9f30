/**
 * Terraform's errors as Infrastructure Manager reports them (tfErrors, errorCode, errorLogs),
 * turned into one reason line and a per-resource lookup. Build-level failures (a bucket that
 * could not be made, Cloud Build refused) have no tfErrors: their error code is explained in
 * words, and the Cloud Build log is linked, since that is the only place the cause is written.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';

export interface FailureSource {
  /** The resource's name (projects/P/locations/L/…): where its Cloud Build runs. */
  name?: string | null;
  tfErrors?: config_v1.Schema$TerraformError[];
  errorCode?: string | null;
  errorLogs?: string | null;
  stateDetail?: string | null;
  errorStatus?: config_v1.Schema$Status;
  /** Revision and Preview: the Cloud Build that ran it, and its log. */
  build?: string | null;
  logs?: string | null;
  /** Deployment: the Cloud Build of its last delete, and that log. */
  deleteBuild?: string | null;
  deleteLogs?: string | null;
  /** Revision: where the quota validation results are (QUOTA_VALIDATION_FAILED). */
  quotaValidationResults?: string | null;
}

/** Where a failure's Cloud Build ran and logged, when the failing resource itself does not say (the operation does). */
export interface BuildLogs {
  name?: string | null;
  build?: string | null;
  logs?: string | null;
}

/**
 * What each error code means, from the enums of config.proto (Deployment, Revision and Preview
 * ErrorCode). Only said when Terraform gave no errors: then this is all there is to read.
 * REVISION_FAILED says nothing the revision does not say better, so it has no words here.
 */
const ERROR_CODE_MEANING: Record<string, string> = {
  CLOUD_BUILD_PERMISSION_DENIED:
    'Cloud Build was refused permission: check that the service account has roles/config.agent and that the Cloud Build API is enabled',
  BUCKET_CREATION_PERMISSION_DENIED:
    'Infrastructure Manager could not create the Cloud Storage bucket for its logs, artifacts and Terraform state (permission denied): check that the service account may create buckets in the project',
  BUCKET_CREATION_FAILED:
    'Infrastructure Manager could not create the Cloud Storage bucket for its logs, artifacts and Terraform state (not a permission problem)',
  APPLY_BUILD_API_FAILED: 'The Cloud Build job that applies the blueprint could not be started',
  APPLY_BUILD_RUN_FAILED: 'The Cloud Build job that applies the blueprint ran and failed',
  DELETE_BUILD_API_FAILED: 'The Cloud Build job that deletes the deployment could not be started; nothing was destroyed',
  DELETE_BUILD_RUN_FAILED: 'The Cloud Build job that deletes the deployment ran and failed; resources it did not destroy remain',
  QUOTA_VALIDATION_FAILED:
    'The project does not have enough quota for one or more resources of the blueprint (quota validation is enforced); the quota validation results say which',
  PREVIEW_BUILD_API_FAILED: 'The Cloud Build job that plans the preview could not be started',
  PREVIEW_BUILD_RUN_FAILED: 'The Cloud Build job that plans the preview ran and failed',
  DEPLOYMENT_LOCK_ACQUIRE_FAILED: 'The preview could not lock the deployment: another run holds it',
  EXTERNAL_VALUE_SOURCE_IMPORT_FAILED: 'Importing input values from another deployment failed',
};

/** Error codes of a delete that failed: the deployment is still there, and not because an apply failed. */
export const DELETE_FAILED_CODES: ReadonlySet<string> = new Set(['DELETE_BUILD_API_FAILED', 'DELETE_BUILD_RUN_FAILED']);

function errorText(error: config_v1.Schema$TerraformError): string {
  const http = error.httpResponseCode ? ` (HTTP ${error.httpResponseCode})` : '';
  return `${error.errorDescription ?? error.error?.message ?? 'Terraform error'}${http}`;
}

/** The first error for each resource address. */
export function errorsByAddress(errors: readonly config_v1.Schema$TerraformError[] | undefined): Map<string, string> {
  const byAddress = new Map<string, string>();
  for (const error of errors ?? []) {
    if (error.resourceAddress && !byAddress.has(error.resourceAddress)) byAddress.set(error.resourceAddress, errorText(error));
  }
  return byAddress;
}

/** A gs:// object as a console link people can open; anything else as it is. */
export function errorLogsLink(errorLogs: string | null | undefined): string | undefined {
  const match = errorLogs ? /^gs:\/\/([^/]+)\/(.+)$/.exec(errorLogs) : null;
  if (!match) return errorLogs ?? undefined;
  return `https://console.cloud.google.com/storage/browser/_details/${match[1]}/${match[2].split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The Cloud Build console page of a build. Infrastructure Manager runs its builds in the
 * deployment's project and region, both read from the resource name; without them, no link.
 */
export function cloudBuildLink(resourceName: string | null | undefined, build: string | null | undefined): string | undefined {
  const where = resourceName ? /^projects\/([^/]+)\/locations\/([^/]+)\//.exec(resourceName) : null;
  if (!where || !build || !/^[\w-]+$/.test(build)) return undefined;
  return `https://console.cloud.google.com/cloud-build/builds;region=${encodeURIComponent(where[2])}/${build}?project=${encodeURIComponent(where[1])}`;
}

/** The links that say more than the reason can: the build, its log, the error log, quota results. */
function logLinks(source: FailureSource, fallback: BuildLogs | undefined): string[] {
  const name = source.name ?? fallback?.name;
  // A deployment names the build of its last delete only: that is the one to read for a failed delete, not for an apply.
  const deleting = source.errorCode ? DELETE_FAILED_CODES.has(source.errorCode) : false;
  const build = source.build ?? (deleting ? source.deleteBuild : undefined) ?? fallback?.build;
  const logs = source.logs ?? (deleting ? source.deleteLogs : undefined) ?? fallback?.logs;
  const links: string[] = [];
  const errorLog = errorLogsLink(source.errorLogs);
  if (errorLog) links.push(`full log: ${errorLog}`);
  const quota = errorLogsLink(source.quotaValidationResults);
  if (quota) links.push(`quota validation results: ${quota}`);
  const buildPage = cloudBuildLink(name, build);
  if (buildPage) links.push(`Cloud Build: ${buildPage}`);
  // The gs:// build log, for whoever cannot open the Cloud Build page (it lives in the artifacts bucket).
  const buildLog = errorLogsLink(logs);
  if (buildLog) links.push(`build log: ${buildLog}`);
  return links;
}

/**
 * One line: the errors Terraform gave (address first), else the state detail, else the error
 * code in words, with where the logs are. Undefined when nothing went wrong. `fallback` names
 * the build when the failing resource does not (a deployment whose apply failed before any
 * revision ran: the operation's metadata knows the build).
 */
export function failureReason(source: FailureSource, fallback?: BuildLogs): string | undefined {
  const parts: string[] = [];
  const errors = source.tfErrors ?? [];
  for (const error of errors.slice(0, 3)) parts.push(error.resourceAddress ? `${error.resourceAddress}: ${errorText(error)}` : errorText(error));
  if (errors.length > 3) parts.push(`and ${errors.length - 3} more Terraform error${errors.length === 4 ? '' : 's'}`);
  if (parts.length === 0 && source.stateDetail) parts.push(source.stateDetail);
  if (parts.length === 0 && source.errorStatus?.message) parts.push(source.errorStatus.message);
  const code = source.errorCode && source.errorCode !== 'ERROR_CODE_UNSPECIFIED' ? source.errorCode : undefined;
  if (parts.length === 0 && !code) return undefined;
  const meaning = code && errors.length === 0 ? ERROR_CODE_MEANING[code] : undefined;
  let reason = parts.join('; ');
  if (meaning) reason = reason && reason !== meaning ? `${meaning}: ${reason}` : meaning;
  if (code) reason = reason ? `${reason} [${code}]` : code;
  const links = logLinks(source, fallback);
  return links.length > 0 ? `${reason} (${links.join('; ')})` : reason;
}

/**
 * The deployment's reason without the Terraform errors its failed resources already tell: the
 * monitor shows each on its resource (the root cause first), so the deployment's own line keeps
 * only what they do not say: which resources failed, the error code and where the logs are.
 * `told` maps each failed resource's address to its error text, as errorsByAddress gives it.
 */
export function beyondResourceErrors(reason: string, told: ReadonlyMap<string, string>): string {
  let rest = reason;
  const named: string[] = [];
  for (const [address, text] of told) {
    const part = `${address}: ${text}`;
    if (!rest.includes(part)) continue;
    rest = rest.replace(part, '');
    named.push(address);
  }
  if (named.length === 0) return reason;
  rest = rest
    .replace(/^[\s;]+/, '')
    .replace(/(;\s*){2,}/g, '; ')
    .trim();
  const lead = `Terraform failed on ${named.join(', ')}`;
  if (rest === '') return `${lead}.`;
  // What is left is the code and the links ("[APPLY_BUILD_RUN_FAILED] (full log: …)"), or more errors.
  return /^[[(]/.test(rest) ? `${lead} ${rest}` : `${lead}; ${rest}`;
}
