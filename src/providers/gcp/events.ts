/**
 * Infrastructure Manager has no event log to page through: it has an operation with a step and
 * a revision whose resources each have a state. Each poll compares them with what the previous
 * poll saw (the cursor) and reports the differences as events, so the monitor reads like one.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { encodeCursor, cursorField, decodeCursorWith, type CursorFields } from '../pollCursor';
import type { DeploymentEvent } from '../provider';
import { decodeProgress, type ProgressMemory } from './liveProgress';
import { beyondResourceErrors } from './failures';
import { resourceStatusOf } from './statusTables';

/** Infrastructure Manager's resource type for the deployment itself, on step events. */
export const DEPLOYMENT_TYPE = 'config.googleapis.com/Deployment';

export interface PollCursor {
  /** Operation step last reported. */
  step?: string;
  /** The revision that was current before our apply: not ours, never read. */
  base?: string;
  /** The revision being applied, once seen. */
  rev?: string;
  /** Resource address → state last reported. */
  res?: Record<string, string>;
  /** The final event has been reported. */
  done?: boolean;
  /** What liveProgress.ts has told and remembers. */
  progress?: ProgressMemory;
}

const POLL_CURSOR_FIELDS: CursorFields<PollCursor> = {
  step: cursorField.text,
  base: cursorField.text,
  rev: cursorField.text,
  res: cursorField.textRecord,
  done: cursorField.boolean,
  progress: decodeProgress,
};

export { encodeCursor };

export function decodeCursor(value: string | undefined): PollCursor {
  return decodeCursorWith(value, POLL_CURSOR_FIELDS);
}

/** Human words for the steps, so the log says what is happening rather than an enum. */
export function stepText(step: string): string {
  switch (step) {
    case 'PREPARING_STORAGE_BUCKET':
      return l10n.t('Preparing the storage bucket');
    case 'DOWNLOADING_BLUEPRINT':
      return l10n.t('Downloading the blueprint');
    case 'RUNNING_TF_INIT':
      return l10n.t('Running terraform init');
    case 'RUNNING_TF_PLAN':
      return l10n.t('Running terraform plan');
    case 'RUNNING_TF_APPLY':
      return l10n.t('Running terraform apply');
    case 'RUNNING_TF_DESTROY':
      return l10n.t('Running terraform destroy');
    case 'RUNNING_TF_VALIDATE':
      return l10n.t('Running terraform validate');
    case 'UNLOCKING_DEPLOYMENT':
      return l10n.t('Unlocking the deployment');
    case 'SUCCEEDED':
      return l10n.t('Apply finished');
    case 'FAILED':
      return l10n.t('Apply failed');
    case 'VALIDATING_REPOSITORY':
      return l10n.t('Validating the repository');
    case 'RUNNING_QUOTA_VALIDATION':
      return l10n.t('Running quota validation');
    default:
      return step;
  }
}

export interface PollSnapshot {
  targetName: string;
  operationName: string;
  now: string;
  step?: string;
  /** The revision's resources, when a revision of ours is known. */
  revision?: string;
  resources?: config_v1.Schema$Resource[];
  /** Terraform errors by address, for failed resources. */
  errors: Map<string, string>;
  /** Terraform's error log as a console link, for a failed resource with no error of its own. */
  errorLog?: string;
  /** Set once the operation is done. */
  outcome?: { status: 'succeeded' | 'failed' | 'cancelled'; providerStatus: string; reason?: string };
}

/** A failed resource Terraform gave no error for: where to read why, as a link when the log is known. */
function noErrorOfItsOwn(errorLog: string | undefined): string {
  return errorLog
    ? l10n.t('Terraform reported a failure for this resource without an error of its own; see its error log: {0}.', errorLog)
    : l10n.t('Terraform reported a failure for this resource without an error of its own; see the error log.');
}

function physicalIdOf(resource: config_v1.Schema$Resource): string | undefined {
  const cai = Object.values(resource.caiAssets ?? {})[0]?.fullResourceName;
  return cai ?? resource.terraformInfo?.id ?? undefined;
}

export function synthesizeEvents(previous: PollCursor, snapshot: PollSnapshot): { events: DeploymentEvent[]; cursor: PollCursor } {
  const events: DeploymentEvent[] = [];
  const cursor: PollCursor = { ...previous, res: { ...(previous.res ?? {}) } };
  const states = cursor.res ?? {};
  const targetEvent = (providerStatus: string, status: DeploymentEvent['status'], reason?: string): DeploymentEvent => ({
    id: `${snapshot.operationName}|${providerStatus}`,
    timestamp: snapshot.now,
    logicalId: snapshot.targetName,
    resourceType: DEPLOYMENT_TYPE,
    providerStatus,
    status,
    reason,
    isCancellation: false,
  });

  if (snapshot.step && snapshot.step !== previous.step && !previous.done) {
    // The final step is reported by the outcome below, with its reason.
    if (!(snapshot.outcome && (snapshot.step === 'SUCCEEDED' || snapshot.step === 'FAILED'))) {
      events.push(targetEvent(snapshot.step, 'inProgress', stepText(snapshot.step)));
    }
    cursor.step = snapshot.step;
  }

  if (snapshot.revision && snapshot.revision !== previous.rev) {
    // A new revision of ours: its resources start from scratch.
    cursor.rev = snapshot.revision;
    for (const key of Object.keys(states)) delete states[key];
  }
  for (const resource of snapshot.resources ?? []) {
    const address = resource.terraformInfo?.address;
    const state = resource.state ?? 'STATE_UNSPECIFIED';
    // Unchanged resources are in every revision; they are not part of this apply's progress.
    if (!address || resource.intent === 'UNCHANGED' || states[address] === state) continue;
    states[address] = state;
    const status = resourceStatusOf(state);
    events.push({
      id: `${snapshot.revision ?? snapshot.operationName}|${address}|${state}`,
      timestamp: snapshot.now,
      logicalId: address,
      resourceType: resource.terraformInfo?.type ?? 'Unknown',
      physicalId: physicalIdOf(resource),
      providerStatus: state,
      status,
      reason: status === 'failed' ? (snapshot.errors.get(address) ?? noErrorOfItsOwn(snapshot.errorLog)) : undefined,
      isCancellation: false,
    });
  }

  if (snapshot.outcome && !previous.done) {
    const { status, providerStatus, reason } = snapshot.outcome;
    if (status !== 'succeeded') {
      // Resources Terraform never got to: not failures of their own, but not done either.
      for (const resource of snapshot.resources ?? []) {
        const address = resource.terraformInfo?.address;
        if (!address || !['PLANNED', 'IN_PROGRESS'].includes(resource.state ?? '')) continue;
        states[address] = 'NOT_APPLIED';
        events.push({
          id: `${snapshot.revision ?? snapshot.operationName}|${address}|NOT_APPLIED`,
          timestamp: snapshot.now,
          logicalId: address,
          resourceType: resource.terraformInfo?.type ?? 'Unknown',
          providerStatus: 'NOT_APPLIED',
          status: 'cancelled',
          reason:
            status === 'cancelled'
              ? l10n.t('Not applied: the apply was cancelled (there is no rollback).')
              : l10n.t('Not applied: the apply stopped after a failure.'),
          isCancellation: true,
        });
      }
    }
    // Each failed resource tells its own Terraform error; the deployment's line does not repeat it.
    const told = new Map([...snapshot.errors].filter(([address]) => states[address] !== undefined && resourceStatusOf(states[address]) === 'failed'));
    // A cancel is the target's own status, not a failure: no root cause is read from it.
    events.push(targetEvent(providerStatus, status, reason === undefined ? undefined : beyondResourceErrors(reason, told)));
    cursor.done = true;
  }
  cursor.res = states;
  return { events, cursor };
}
