/**
 * Terraform's errors as Infrastructure Manager reports them (tfErrors, errorCode, errorLogs),
 * turned into one reason line and a per-resource lookup.
 */
import type { config_v1 } from 'googleapis/build/src/apis/config';

export interface FailureSource {
  tfErrors?: config_v1.Schema$TerraformError[];
  errorCode?: string | null;
  errorLogs?: string | null;
  stateDetail?: string | null;
  errorStatus?: config_v1.Schema$Status;
}

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

/** The gs:// error log as a console link people can open. */
export function errorLogsLink(errorLogs: string | null | undefined): string | undefined {
  const match = errorLogs ? /^gs:\/\/([^/]+)\/(.+)$/.exec(errorLogs) : null;
  if (!match) return errorLogs ?? undefined;
  return `https://console.cloud.google.com/storage/browser/_details/${match[1]}/${match[2].split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * One line: the errors Terraform gave (address first), else the state detail, else the error
 * code, with where the full log is. Undefined when nothing went wrong.
 */
export function failureReason(source: FailureSource): string | undefined {
  const parts: string[] = [];
  const errors = source.tfErrors ?? [];
  for (const error of errors.slice(0, 3)) parts.push(error.resourceAddress ? `${error.resourceAddress}: ${errorText(error)}` : errorText(error));
  if (errors.length > 3) parts.push(`and ${errors.length - 3} more Terraform error${errors.length === 4 ? '' : 's'}`);
  if (parts.length === 0 && source.stateDetail) parts.push(source.stateDetail);
  if (parts.length === 0 && source.errorStatus?.message) parts.push(source.errorStatus.message);
  if (parts.length === 0 && !source.errorCode) return undefined;
  let reason = parts.join('; ');
  if (source.errorCode && source.errorCode !== 'ERROR_CODE_UNSPECIFIED') reason = reason ? `${reason} [${source.errorCode}]` : source.errorCode;
  const logs = errorLogsLink(source.errorLogs);
  return logs ? `${reason} (full log: ${logs})` : reason;
}
