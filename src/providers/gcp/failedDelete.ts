/**
 * A deployment whose delete failed (Deployment.errorCode DELETE_BUILD_API_FAILED or
 * DELETE_BUILD_RUN_FAILED) is still there, FAILED, and possibly half destroyed. Said as the failure
 * of that delete, with its reason and logs, so the consent to delete it again knows why.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { DELETE_FAILED_CODES, failureReason } from './failures';

export function isFailedDelete(deployment: config_v1.Schema$Deployment): boolean {
  return deployment.state === 'FAILED' && DELETE_FAILED_CODES.has(deployment.errorCode ?? '');
}

/** Undefined unless the deployment's last delete failed. */
export function failedDeleteReason(deployment: config_v1.Schema$Deployment, deploymentName: string): string | undefined {
  if (!isFailedDelete(deployment)) return undefined;
  const why = failureReason(deployment) ?? deployment.errorCode ?? l10n.t('no reason given');
  return l10n.t(
    'The last delete of {0} failed, so it still exists and may be partly destroyed: {1}. Fix the cause (see the logs), then delete it again; Stackwatch does not apply over a deployment that was being deleted.',
    deploymentName,
    why,
  );
}
