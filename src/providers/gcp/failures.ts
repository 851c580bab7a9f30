/**
 * Terraform's errors as Infrastructure Manager reports them (tfErrors, errorCode, errorLogs),
 * turned into one reason line and a per-resource lookup. Build-level failures (a bucket that
 * could not be made, Cloud Build refused) have no tfErrors: their error code is explained in
 * words, and the Cloud Build log is linked, since that is the only place the cause is written.
 */
import * as l10n from '@vscode/l10n';
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
function errorCodeMeaning(code: string): string | undefined {
  switch (code) {
    case 'CLOUD_BUILD_PERMISSION_DENIED':
      return l10n.t('Cloud Build was refused permission: check that the service account has roles/config.agent and that the Cloud Build API is enabled');
    case 'BUCKET_CREATION_PERMISSION_DENIED':
      return l10n.t(
        'Infrastructure Manager could not create the Cloud Storage bucket for its logs, artifacts and Terraform state (permission denied): check that the service account may create buckets in the project',
      );
    case 'BUCKET_CREATION_FAILED':
      return l10n.t('Infrastructure Manager could not create the Cloud Storage bucket for its logs, artifacts and Terraform state (not a permission problem)');
    case 'APPLY_BUILD_API_FAILED':
      return l10n.t('The Cloud Build job that applies the blueprint could not be started');
    case 'APPLY_BUILD_RUN_FAILED':
      return l10n.t('The Cloud Build job that applies the blueprint ran and failed');
    case 'DELETE_BUILD_API_FAILED':
      return l10n.t('The Cloud Build job that deletes the deployment could not be started; nothing was destroyed');
    case 'DELETE_BUILD_RUN_FAILED':
      return l10n.t('The Cloud Build job that deletes the deployment ran and failed; resources it did not destroy remain');
    case 'QUOTA_VALIDATION_FAILED':
      return l10n.t(
        'The project does not have enough quota for one or more resources of the blueprint (quota validation is enforced); the quota validation results say which',
      );
    case 'PREVIEW_BUILD_API_FAILED':
      return l10n.t('The Cloud Build job that plans the preview could not be started');
    case 'PREVIEW_BUILD_RUN_FAILED':
      return l10n.t('The Cloud Build job that plans the preview ran and failed');
    case 'DEPLOYMENT_LOCK_ACQUIRE_FAILED':
      return l10n.t('The preview could not lock the deployment: another run holds it');
    case 'EXTERNAL_VALUE_SOURCE_IMPORT_FAILED':
      return l10n.t('Importing input values from another deployment failed');
    default:
      return undefined;
  }
}

/** Error codes of a delete that failed: the deployment is still there, and not because an apply failed. */
export const DELETE_FAILED_CODES: ReadonlySet<string> = new Set(['DELETE_BUILD_API_FAILED', 'DELETE_BUILD_RUN_FAILED']);

function errorText(error: config_v1.Schema$TerraformError): string {
  const text = error.errorDescription ?? error.error?.message ?? l10n.t('Terraform error');
  return error.httpResponseCode ? l10n.t('{0} (HTTP {1})', text, error.httpResponseCode) : text;
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
  if (errorLog) links.push(l10n.t('full log: {0}', errorLog));
  const quota = errorLogsLink(source.quotaValidationResults);
  if (quota) links.push(l10n.t('quota validation results: {0}', quota));
  const buildPage = cloudBuildLink(name, build);
  if (buildPage) links.push(l10n.t('Cloud Build: {0}', buildPage));
  // The gs:// build log, for whoever cannot open the Cloud Build page (it lives in the artifacts bucket).
  const buildLog = errorLogsLink(logs);
  if (buildLog) links.push(l10n.t('build log: {0}', buildLog));
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
  if (errors.length > 3) parts.push(errors.length === 4 ? l10n.t('and 1 more Terraform error') : l10n.t('and {0} more Terraform errors', errors.length - 3));
  if (parts.length === 0 && source.stateDetail) parts.push(source.stateDetail);
  if (parts.length === 0 && source.errorStatus?.message) parts.push(source.errorStatus.message);
  const code = source.errorCode && source.errorCode !== 'ERROR_CODE_UNSPECIFIED' ? source.errorCode : undefined;
  if (parts.length === 0 && !code) return undefined;
  const meaning = code && errors.length === 0 ? errorCodeMeaning(code) : undefined;
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
  const addresses = named.join(', ');
  if (rest === '') return l10n.t('Terraform failed on {0}.', addresses);
  // What is left is the code and the links ("[APPLY_BUILD_RUN_FAILED] (full log: …)"), or more
  // errors. The brackets are failureReason's own, never translated.
  return /^[[(]/.test(rest) ? l10n.t('Terraform failed on {0} {1}', addresses, rest) : l10n.t('Terraform failed on {0}; {1}', addresses, rest);
}
