/**
 * Following an apply, delete or lock change to its end: each poll reads the operation, the
 * deployment and this apply's revision, and turns them into events, news and a phase. Stop asks
 * the service to cancel; only the operation says later how the run ended.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError, type DeploymentEvent, type OperationRef, type PollRequest, type PollResult, type StopRequest, type StopResult } from '../provider';
import type { ApiResponse, CallOptions } from './calls';
import { cancelRefusal } from './cancel';
import { where, type GcpContext } from './context';
import { DEPLOYMENT_TYPE, decodeCursor, encodeCursor, synthesizeEvents, type PollSnapshot } from './events';
import { errorLogsLink, errorsByAddress } from './failures';
import { joinNotices, progressNews, type ProgressMemory, type ProgressNews } from './liveProgress';
import { isLockChange, lockChangePoll } from './locks';
import { deploymentResourceName } from './names';
import { operationOutcome } from './outcome';
import { isReplacedApply } from './ownApply';
import { readable } from './reads';

/** Bounds one poll's paging through a revision's resources. */
const MAX_PAGES_PER_POLL = 20;

export async function pollApply(ctx: GcpContext, { target, operation, cursor, signal }: PollRequest): Promise<PollResult> {
  const previous = decodeCursor(cursor);
  if (isReplacedApply(operation)) {
    // The deployment's state now is a later apply's, not ours: it must not decide our outcome.
    const reason = l10n.t(
      "Your apply ran, but a later apply (from the Cloud console, gcloud or another client) replaced it on {0}, and its record is gone: how yours ended is not known. The deployment now runs that later apply's blueprint.",
      target.name,
    );
    return { phase: 'unknown', providerStatus: 'REPLACED', statusReason: reason, events: [], cursor, pagesRead: 0, notice: reason };
  }
  let pagesRead = 0;
  const read = async <T>(what: string, send: (o: CallOptions) => Promise<ApiResponse<T>>): Promise<T> => {
    pagesRead++;
    return ctx.caller.call(what, signal, send);
  };
  const name = operation.targetId ?? deploymentResourceName(where(ctx, target), target.name);
  const now = new Date().toISOString();

  let op: config_v1.Schema$Operation | undefined;
  if (operation.operationName) {
    const operationName = operation.operationName;
    op = await read('operations.get', (o) => ctx.im.projects.locations.operations.get({ name: operationName }, o));
  }
  // A lock or unlock (a recovery's): its Deployment answer's lockState is the outcome, not a revision.
  if (op && isLockChange(op)) return lockChangePoll(op, target.name, cursor, pagesRead);
  const metadata = (op?.metadata ?? {}) as config_v1.Schema$OperationMetadata;
  const step = metadata.deploymentMetadata?.step ?? undefined;
  const response = (op?.done && op.response ? op.response : undefined) as config_v1.Schema$Deployment | undefined;
  const deployment = response?.latestRevision
    ? response
    : await read('deployments.get', (o) => ctx.im.projects.locations.deployments.get({ name }, o)).then(
        (d) => readable('deployments.get', name, d),
        (error: unknown) => {
          if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
          throw error;
        },
      );

  // The revision of this apply: not the one that was current before it started.
  const { baseRevisions } = ctx.memory;
  const base =
    previous.base ?? (operation.operationName && baseRevisions.has(operation.operationName) ? baseRevisions.get(operation.operationName) : undefined);
  const latest = deployment?.latestRevision ?? undefined;
  const revisionName = latest && latest !== base && operation.kind !== 'delete' ? latest : undefined;

  let revision: config_v1.Schema$Revision | undefined;
  let resources: config_v1.Schema$Resource[] | undefined;
  if (revisionName) {
    const done = op?.done === true || (!op && deployment?.state !== undefined && !['CREATING', 'UPDATING', 'DELETING'].includes(deployment.state ?? ''));
    if (done) revision = await read('revisions.get', (o) => ctx.im.projects.locations.deployments.revisions.get({ name: revisionName }, o));
    resources = await listResources(ctx, revisionName, signal, () => pagesRead++);
  }

  const reading = operationOutcome(op, deployment, revision, operation.kind);
  const outcome = reading?.status === 'unknown' ? undefined : reading;
  const snapshot: PollSnapshot = {
    targetName: target.name,
    operationName: operation.operationName ?? name,
    now,
    step,
    revision: revisionName,
    resources,
    errors: errorsByAddress(revision?.tfErrors ?? deployment?.tfErrors),
    errorLog: errorLogsLink(revision?.errorLogs ?? deployment?.errorLogs),
    outcome,
  };
  const { events: synthesized, cursor: next } = synthesizeEvents(previous, snapshot);
  next.base = base;
  const news = newsOf(ctx, operation, previous.progress, snapshot, op, metadata);
  next.progress = news.memory;
  const events = beforeTheEnd(synthesized, news.events, target.name);
  const phase: PollResult['phase'] = reading?.status === 'unknown' ? 'unknown' : outcome ? outcome.status : 'inProgress';
  return withNotices(news.notices, {
    phase,
    providerStatus: reading?.providerStatus ?? step ?? deployment?.state ?? 'RUNNING',
    statusReason: reading?.reason,
    events,
    cursor: encodeCursor(next),
    pagesRead,
    // Why the truth is not known (the deployment vanished under the run) is news, told once.
    ...(reading?.status === 'unknown' && reading.reason ? { notice: reading.reason } : {}),
    // The operation does not say who cancelled it; a cancel this window did not send was someone else's.
    ...(reading?.status === 'cancelled' && !(operation.operationName && ctx.memory.ownCancels.has(operation.operationName))
      ? {
          notice: l10n.t(
            'The apply was cancelled by someone else (the Cloud console, gcloud or another client), not by Stop in this window; resources applied before the cancel stay applied.',
          ),
        }
      : {}),
  });
}

export async function stopApply(ctx: GcpContext, { target, operation, signal }: StopRequest): Promise<StopResult> {
  if (!operation.operationName) {
    throw new ProviderError(
      'Unsupported',
      l10n.t(
        'Stackwatch did not start the operation running on {0}, so it does not know its name and cannot cancel it. Cancel it in the Cloud console.',
        target.name,
      ),
    );
  }
  const operationName = operation.operationName;
  const { ownCancels, acceptedCancels } = ctx.memory;
  // Added before the call: a cancel whose answer was lost may still have landed, and is ours.
  ownCancels.add(operationName);
  try {
    await ctx.caller.call('operations.cancel', signal, (o) => ctx.im.projects.locations.operations.cancel({ name: operationName, requestBody: {} }, o));
  } catch (error) {
    const refusal = cancelRefusal(error, target.name);
    if (!refusal) throw error;
    // Refused: a cancel seen later is someone else's, and the machine keeps monitoring.
    ownCancels.delete(operationName);
    throw refusal;
  }
  // Accepted is only "requested": poll says how the apply really ends (liveProgress.ts).
  acceptedCancels.add(operationName);
  return { rollsBack: false };
}

/** Step, log, resource-reporting, plan and cancel news for this poll (liveProgress.ts); none for a delete. */
function newsOf(
  ctx: GcpContext,
  operation: OperationRef,
  memory: ProgressMemory | undefined,
  snapshot: PollSnapshot,
  op: config_v1.Schema$Operation | undefined,
  metadata: config_v1.Schema$OperationMetadata,
): ProgressNews {
  const told = memory ?? { told: [] };
  if (operation.kind === 'delete') return { notices: [], events: [], memory: told };
  const operationName = operation.operationName;
  return progressNews({
    memory: told,
    previewed: ctx.memory.previewedPlans.forOperation(operationName),
    targetName: snapshot.targetName,
    operationName: snapshot.operationName,
    now: snapshot.now,
    running: op ? op.done !== true : snapshot.outcome === undefined,
    step: snapshot.step,
    metadata: metadata.deploymentMetadata,
    revision: snapshot.revision,
    resources: snapshot.resources,
    ended: snapshot.outcome?.status,
    cancelAccepted: operationName !== undefined && ctx.memory.acceptedCancels.has(operationName),
    cancelRequested: metadata.requestedCancellation === true,
  });
}

async function listResources(ctx: GcpContext, revision: string, signal: AbortSignal, countPage: () => void): Promise<config_v1.Schema$Resource[]> {
  const all: config_v1.Schema$Resource[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    countPage();
    pages++;
    const page = await ctx.caller.call('revisions.resources.list', signal, (o) =>
      ctx.im.projects.locations.deployments.revisions.resources.list({ parent: revision, pageToken }, o),
    );
    all.push(...(page.resources ?? []));
    pageToken = page.nextPageToken || undefined;
  } while (pageToken && pages < MAX_PAGES_PER_POLL);
  return all;
}

/** The poll's own notice (unknown outcome, someone else's cancel) first, then the progress news; one string, as the port carries one. */
function withNotices(news: readonly string[], result: PollResult): PollResult {
  const notice = joinNotices(result.notice, ...news);
  return notice ? { ...result, notice } : result;
}

/** Progress events go before the final event of the deployment, so the log ends with how it ended. */
function beforeTheEnd(events: DeploymentEvent[], extra: readonly DeploymentEvent[], targetName: string): DeploymentEvent[] {
  if (extra.length === 0) return events;
  const last = events.at(-1);
  if (last && last.logicalId === targetName && last.resourceType === DEPLOYMENT_TYPE) return [...events.slice(0, -1), ...extra, last];
  return [...events, ...extra];
}
