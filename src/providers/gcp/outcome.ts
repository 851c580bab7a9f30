/**
 * How an apply ended, read from the operation, the deployment (its state and errorCode) and the
 * apply's revision together. Infrastructure Manager has no rollback: cancelled and failed both
 * leave what was applied.
 *
 * A successful operation is not a successful apply: the operation can succeed with the
 * Deployment FAILED (gcloud checks `state == FAILED` on the applied deployment after the
 * operation succeeds: googlecloudsdk/command_lib/infra_manager/deploy_util.py, Apply), e.g. when
 * the bucket could not be created or Cloud Build was refused, with no failed revision, or none at
 * all. So "succeeded" needs all three to say so; what cannot be read is unknown, never success.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { failureReason, type BuildLogs } from './failures';
import { lastPart } from './names';
import type { OperationRef } from '../provider';
import type { PollSnapshot } from './events';
import { RPC_CANCELLED } from './statusTables';

type Outcome = NonNullable<PollSnapshot['outcome']>;

/** A state this version does not know: shown raw and read again, never taken for an ending. */
export interface UnknownState {
  status: 'unknown';
  providerStatus: string;
  reason?: string;
}

/** Deployment states after a run that say how it ended. */
const ENDED_WELL = new Set(['ACTIVE']);
const ENDED_BADLY = new Set(['FAILED', 'SUSPENDED']);
const RUNNING = new Set(['CREATING', 'UPDATING', 'DELETING']);

/** The deployment was removed under a run (not our delete), with no operation to say how the run ended. */
function disappearedReason(kind: OperationRef['kind']): string {
  switch (kind) {
    case 'create':
      return l10n.t(
        'The deployment disappeared while it was being created: it was deleted outside this run, so how that run ended is not known. Deploy again to create it.',
      );
    case 'update':
      return l10n.t(
        'The deployment disappeared while it was being updated: it was deleted outside this run, so how that run ended is not known. Deploy again to create it.',
      );
    case 'delete':
      return l10n.t(
        'The deployment disappeared while it was being deleted: it was deleted outside this run, so how that run ended is not known. Deploy again to create it.',
      );
    case 'rollback':
      return l10n.t(
        'The deployment disappeared while it was being rolled back: it was deleted outside this run, so how that run ended is not known. Deploy again to create it.',
      );
    case 'unknown':
      return l10n.t(
        'The deployment disappeared while an operation was running on it: it was deleted outside this run, so how that run ended is not known. Deploy again to create it.',
      );
  }
}

/** The operation's build and log, for a failure whose deployment and revision do not name one. */
function operationBuild(op: config_v1.Schema$Operation): BuildLogs {
  const metadata = (op.metadata ?? {}) as config_v1.Schema$OperationMetadata;
  const step = metadata.deploymentMetadata ?? metadata.previewMetadata;
  return { name: metadata.target ?? undefined, build: step?.build ?? undefined, logs: step?.logs ?? undefined };
}

/** The reason of a failure: the revision's (Terraform's errors), else the deployment's (a build-level error code). */
function reasonOf(
  revision: config_v1.Schema$Revision | undefined,
  deployment: config_v1.Schema$Deployment | undefined,
  build: BuildLogs | undefined,
): string | undefined {
  const revisionSays = revision && (revision.state === 'FAILED' || revision.errorCode || (revision.tfErrors?.length ?? 0) > 0);
  return (revisionSays ? failureReason(revision, build) : undefined) ?? (deployment ? failureReason(deployment, build) : undefined);
}

/**
 * Undefined while the operation runs. `kind` is what the operation was doing to the deployment.
 * `revision` is this apply's revision; undefined once the operation is done means the
 * deployment's latestRevision did not move (poll reads the revision when it did).
 */
export function operationOutcome(
  op: config_v1.Schema$Operation | undefined,
  deployment: config_v1.Schema$Deployment | undefined,
  revision: config_v1.Schema$Revision | undefined,
  kind: OperationRef['kind'],
): Outcome | UnknownState | undefined {
  if (op) {
    if (!op.done) return undefined;
    const build = operationBuild(op);
    if (op.error) {
      const cancelled = op.error.code === RPC_CANCELLED;
      const detail = reasonOf(revision, deployment, build) ?? withLogs(op.error.message ?? undefined, build);
      // After a cancel the service's own detail only says "cancelled" again; Terraform errors are news.
      const errors = (revision?.tfErrors?.length ?? 0) > 0 ? detail : undefined;
      return cancelled
        ? {
            status: 'cancelled',
            providerStatus: 'CANCELLED',
            reason: sentencesOf(
              l10n.t('The apply was cancelled; resources applied before the cancel stay applied (Infrastructure Manager has no rollback).'),
              errors,
            ),
          }
        : { status: 'failed', providerStatus: revision?.state ?? 'FAILED', reason: detail };
    }
    return succeededOperation(deployment, revision, kind, build);
  }
  // Reattached without an operation name: the deployment's own state is all there is.
  const state = deployment ? (deployment.state ?? 'STATE_UNSPECIFIED') : 'DELETED';
  if (RUNNING.has(state)) return undefined;
  if (state === 'DELETED') {
    // Gone is what our own delete wants. For anything else someone removed the deployment under
    // it, and with no operation to ask, how the run ended before that is not known: not "failed".
    return kind === 'delete'
      ? { status: 'succeeded', providerStatus: state }
      : {
          status: 'unknown',
          providerStatus: state,
          reason: disappearedReason(kind),
        };
  }
  if (revision?.state === 'FAILED') return { status: 'failed', providerStatus: 'FAILED', reason: reasonOf(revision, deployment, undefined) };
  if (ENDED_WELL.has(state)) return { status: 'succeeded', providerStatus: state };
  if (ENDED_BADLY.has(state))
    return { status: 'failed', providerStatus: state, reason: reasonOf(revision, deployment, undefined) ?? deployment?.stateDetail ?? undefined };
  return { status: 'unknown', providerStatus: state };
}

/** The operation succeeded: the deployment and the revision say whether the apply did. */
function succeededOperation(
  deployment: config_v1.Schema$Deployment | undefined,
  revision: config_v1.Schema$Revision | undefined,
  kind: OperationRef['kind'],
  build: BuildLogs,
): Outcome | UnknownState {
  const state = deployment ? (deployment.state ?? 'STATE_UNSPECIFIED') : 'DELETED';
  if (kind === 'delete') {
    if (state === 'DELETED') return { status: 'succeeded', providerStatus: state };
    if (state === 'FAILED')
      return {
        status: 'failed',
        providerStatus: deployment?.errorCode || state,
        reason: reasonOf(undefined, deployment, build) ?? l10n.t('The delete failed.'),
      };
    return disagree(state, l10n.t("the delete's operation succeeded, yet the deployment is still {0}", state));
  }
  // A failed deployment is a failed apply, whatever the operation said (gcloud reads it the same way).
  if (state === 'FAILED') {
    const reason =
      reasonOf(revision, deployment, build) ??
      withLogs(
        revision
          ? l10n.t('The operation succeeded, but the deployment is FAILED.')
          : l10n.t('The operation succeeded, but the deployment is FAILED and no revision was recorded for this apply.'),
        build,
      );
    return { status: 'failed', providerStatus: deployment?.errorCode || 'FAILED', reason };
  }
  if (revision?.state === 'FAILED') return { status: 'failed', providerStatus: 'FAILED', reason: reasonOf(revision, deployment, build) };
  if (state === 'DELETED') return disagree(state, l10n.t("the apply's operation succeeded, but the deployment is gone: it was deleted outside this run"));
  if (!ENDED_WELL.has(state)) return disagree(state, l10n.t("the apply's operation succeeded, but the deployment is {0}", state));
  if (!revision)
    return disagree(
      state,
      l10n.t(
        "the apply's operation succeeded and the deployment is {0}, but its latest revision did not move: Infrastructure Manager recorded no revision of this apply",
        state,
      ),
    );
  if (revision.state === 'APPLIED') return { status: 'succeeded', providerStatus: 'APPLIED' };
  const revisionName = lastPart(revision.name, l10n.t('(unnamed)'));
  return disagree(
    state,
    revision.state
      ? l10n.t("the apply's operation succeeded and the deployment is {0}, but its revision {1} is {2}", state, revisionName, revision.state)
      : l10n.t("the apply's operation succeeded and the deployment is {0}, but its revision {1} is in no state", state, revisionName),
  );
}

function disagree(providerStatus: string, what: string): UnknownState {
  return {
    status: 'unknown',
    providerStatus,
    reason: l10n.t('How the apply ended is not known: {0}. Stackwatch reads it again; check the deployment in the Cloud console.', what),
  };
}

/** Sentences one after the other; a missing one is left out. */
function sentencesOf(first: string, then: string | undefined): string {
  return then ? `${first} ${then}` : first;
}

function withLogs(text: string | undefined, build: BuildLogs): string | undefined {
  if (!text) return undefined;
  return failureReason({ stateDetail: text }, build);
}
