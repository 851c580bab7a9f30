/**
 * The Infrastructure Manager provider: the port's calls in terms of a zipped blueprint in
 * Cloud Storage, previews, deployments, revisions and long-running operations. Every request
 * carries the caller's AbortSignal, and every error leaves here as a coded ProviderError.
 *
 * Only the config v1 module of googleapis is imported: the whole package is 14 MB and would be
 * bundled into the extension. Cloud Storage is two plain authorized requests (stagingObject.ts).
 * Every request goes through GcpCaller (calls.ts): one try, a deadline, a readable answer.
 */
import { createHash } from 'node:crypto';
import { GoogleAuth, type OAuth2Client } from 'google-auth-library';
import { config_v1 } from 'googleapis/build/src/apis/config';
import {
  ProviderError,
  type AbortStagedRequest,
  type AbortStagedResult,
  type Change,
  type DescribeStagedRequest,
  type DescribeStagedResult,
  type DescribeTargetRequest,
  type DescribeTargetResult,
  type ExecuteRequest,
  type ExecuteResult,
  type FindExecutionRequest,
  type FindExecutionResult,
  type OperationRef,
  type OutputsRequest,
  type PollRequest,
  type PollResult,
  type Provider,
  type RecoverRequest,
  type RecoverResult,
  type StackOutput,
  type StageRequest,
  type StageResult,
  type StopRequest,
  type StopResult,
  type TemplateRequest,
  type ValidateRequest,
  type ValidateResult,
} from '../provider';
import { abortableDelay } from '../abortableDelay';
import type { BlueprintVariable } from './blueprint';
import { BlueprintFileError, listBlueprintFiles, readVariables, rootTerraformFiles, zipBlueprint, type BlueprintFile } from './blueprintFiles';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, GcpCaller, type CallOptions, type CallSpec } from './calls';
import { toChange } from './changes';
import { DEPLOYMENT_TYPE, decodeCursor, encodeCursor, synthesizeEvents, type PollSnapshot } from './events';
import { errorsByAddress, failureReason } from './failures';
import { describeAdcIdentity, describeInjectedIdentity, type GcpIdentity } from './identity';
import { toInputValues } from './inputs';
import { decodeStagedId, deploymentName, encodeStagedId, incarnationId, parentName, parseGcsSource, parseIncarnation, previewId, requestId, stagingObjectName, type StagedRef } from './names';
import { APPLY_LABEL, applyLabel, applyToken, findOwnApply, isReplacedApply, labelValue, namesObject, type OwnApplyLookup } from './ownApply';
import { planDocument } from './planDocument';
import { ReviewedPlans, planGoneError } from './reviewedPlans';
import { operationOutcome } from './outcome';
import { recoveryAction } from './recovery';
import { GCP_SETTING_KEYS, serviceAccountName, type GcpProviderSettings } from './settings';
import { StagingObjects } from './stagingObject';
import { deploymentMeaning, previewStagedState } from './statusTables';

export interface GcpProviderDeps {
  /** Credentials to use instead of Application Default Credentials (tests). */
  authClient?: OAuth2Client;
  /** rootUrl for both APIs; wins over settings.endpoint. */
  rootUrl?: string;
  /** Deadline of one request, in ms (default 20 s); a request that outlives it is a Transient error. */
  callTimeoutMs?: number;
  /** Deadline of the blueprint upload, in ms (default 40 s). */
  uploadTimeoutMs?: number;
  /** Pause between looks at a preview still being created, before it can be deleted (default 2 s). */
  previewWaitMs?: number;
}

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];
/** Bounds one poll's paging through a revision's resources. */
const MAX_PAGES_PER_POLL = 20;
const UNLOCK_CHECKS = 5;
const UNLOCK_CHECK_MS = 1_000;
/** Looks at a preview still being created before abortStaged gives the machine a retryable error. */
const PREVIEW_WAIT_LOOKS = 15;
const PREVIEW_WAIT_MS = 2_000;
/** The fields execute sets on a deployment; a patch without a mask would reset all the others. */
const PATCH_MASK = ['terraformBlueprint', 'serviceAccount', 'tfVersionConstraint', 'labels'] as const;
/** States in which a run is live: its lock is held on purpose, not left by a crash. */
const LIVE_STATES = new Set(['CREATING', 'UPDATING', 'DELETING']);
const LIVE_LOCK_STATES = new Set(['LOCKING', 'UNLOCKING']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Whether an endpoint URL names this machine. Only such an endpoint may receive the user's
 * Application Default Credentials: a workspace setting can name any URL, and a bearer token
 * sent there is a token handed to whoever runs it.
 */
export function isLoopbackEndpoint(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return LOOPBACK_HOSTS.has(host.replace(/^\[(.*)\]$/, '$1'));
}

interface ApiResponse<T> {
  data: T;
}

export class GcpProvider implements Provider {
  readonly kind = 'gcp' as const;
  private readonly auth: GoogleAuth | OAuth2Client;
  private readonly im: config_v1.Config;
  private readonly rootUrl?: string;
  /** Set when ADC must not be used for rootUrl; every call throws this instead of sending a token. */
  private readonly adcRefusal?: () => ProviderError;
  private readonly caller: GcpCaller;
  private readonly objects: StagingObjects;
  /** The revision that was current when each of our applies started; see poll. */
  private readonly baseRevisions = new Map<string, string | undefined>();
  /** Operations this window asked to cancel (Stop); every other cancel was someone else's. */
  private readonly ownCancels = new Set<string>();
  /** Delete recoveries (by request ID) that released the deployment's lock themselves. */
  private readonly releasedLocks = new Set<string>();
  /** The plans read when their previews were ready: Save Plan serves them after the apply deleted the preview. */
  private readonly reviewedPlans = new ReviewedPlans();

  constructor(
    private readonly settings: GcpProviderSettings,
    private readonly deps: GcpProviderDeps = {},
  ) {
    this.rootUrl = deps.rootUrl ?? (settings.endpoint || undefined);
    if (this.rootUrl && !deps.authClient && !isLoopbackEndpoint(this.rootUrl)) {
      const rootUrl = this.rootUrl;
      this.adcRefusal = () =>
        new ProviderError(
          'Credentials',
          `Stackwatch will not send your Google Application Default Credentials to ${rootUrl}, the endpoint set in ${GCP_SETTING_KEYS.endpoint}: it is not this machine, and anyone running it would get your access token.`,
          {
            hint: `Only loopback endpoints (127.0.0.1, ::1, localhost) get Application Default Credentials. To use another endpoint, set STACKWATCH_GCP_ACCESS_TOKEN to a token meant for it; otherwise clear ${GCP_SETTING_KEYS.endpoint}.`,
            providerCode: 'ENDPOINT_NOT_LOOPBACK',
          },
        );
    }
    this.auth = deps.authClient ?? new GoogleAuth({ scopes: SCOPES });
    const options = { auth: this.auth, ...(this.rootUrl ? { rootUrl: this.rootUrl } : {}) };
    this.im = new config_v1.Config(options);
    this.caller = new GcpCaller({ rootUrl: this.rootUrl, project: settings.project, timeoutMs: deps.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, refusal: this.adcRefusal });
    this.objects = new StagingObjects(this.caller, this.auth, deps.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS);
  }

  dispose(): void {
    // The googleapis clients have no close(); only our own per-operation memory is released.
    this.baseRevisions.clear();
    this.releasedLocks.clear();
    this.ownCancels.clear();
    this.reviewedPlans.clear();
  }

  async describeIdentity(signal: AbortSignal): Promise<GcpIdentity> {
    if (this.adcRefusal) throw this.adcRefusal();
    if (this.deps.authClient) return describeInjectedIdentity(this.deps.authClient, this.settings.project);
    return describeAdcIdentity(this.auth as GoogleAuth, this.settings.project, signal);
  }

  private where(target: { region?: string }): { project: string; location: string } {
    return { project: this.settings.project, location: target.region || this.settings.location };
  }

  private call<T>(operation: string, signal: AbortSignal, send: (options: CallOptions) => Promise<ApiResponse<T>>, spec?: CallSpec): Promise<T> {
    return this.caller.call(operation, signal, send, spec);
  }

  private ownApplyLookup(target: { region?: string }): OwnApplyLookup {
    return { caller: this.caller, im: this.im, parent: parentName(this.where(target)) };
  }

  private async getDeployment(name: string, signal: AbortSignal): Promise<config_v1.Schema$Deployment | undefined> {
    try {
      return readable('deployments.get', name, await this.call('deployments.get', signal, (o) => this.im.projects.locations.deployments.get({ name }, o)));
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
      throw error;
    }
  }

  async describeTarget({ target, signal }: DescribeTargetRequest): Promise<DescribeTargetResult> {
    const name = deploymentName(this.where(target), target.name);
    const deployment = await this.getDeployment(name, signal);
    if (!deployment || deployment.state === 'DELETED') return { condition: 'missing', recoveryActions: [] };
    // Only a 404 says "missing": an answer without a state says nothing, and must not decide.
    if (!deployment.state) throw new ProviderError('Transient', `deployments.get: the answer for ${target.name} has no state; asking again.`, { providerCode: 'UNREADABLE_RESPONSE' });
    const meaning = deploymentMeaning(deployment.state, deployment.lockState ?? undefined);
    const status = deployment.lockState === 'LOCKED' || meaning.condition === 'unrecoverable' ? `${deployment.state} (lock ${deployment.lockState ?? 'unknown'})` : deployment.state;
    const lastUpdatedAt = deployment.updateTime ?? deployment.createTime ?? undefined;
    const result: DescribeTargetResult = {
      condition: meaning.condition,
      providerStatus: status,
      statusReason: meaning.unknownState
        ? `Infrastructure Manager reports ${deployment.state}, a state this version of Stackwatch does not know; it is read again and decides nothing.${deployment.stateDetail ? ` ${deployment.stateDetail}` : ''}`
        : (failureReason(deployment) ?? (deployment.stateDetail || undefined)),
      // This incarnation: a consent given about it is not about one created later under the same name.
      targetId: incarnationId(deployment.name ?? name, deployment.createTime),
      recoveryActions: meaning.recovery.map((id) => recoveryAction(id, target.name, status, deployment.lockState === 'LOCKED')),
      lastUpdatedAt,
    };
    if (meaning.condition === 'inProgress') {
      // Someone else's (or an earlier window's) apply: the deployment does not name its operation.
      result.operation = { startedAt: lastUpdatedAt ?? new Date().toISOString(), kind: meaning.operation ?? 'unknown', targetId: deployment.name ?? name };
    }
    return result;
  }

  /** The blueprint's files and variables; a folder that is not a blueprint is a Validation error. */
  private async readBlueprint(): Promise<{ files: BlueprintFile[]; variables: BlueprintVariable[] }> {
    const folder = this.settings.blueprintFolder;
    let files: BlueprintFile[];
    try {
      files = await listBlueprintFiles(folder, { workspaceFolder: this.settings.workspaceFolder });
    } catch (cause) {
      if (cause instanceof BlueprintFileError) throw new ProviderError('Validation', cause.message, { cause, hint: cause.hint });
      throw new ProviderError('Validation', `The blueprint folder ${folder} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`, { cause });
    }
    if (files.length === 0) throw new ProviderError('Validation', `The blueprint folder ${folder} is empty.`);
    if (rootTerraformFiles(files).length === 0) throw new ProviderError('Validation', `The blueprint folder ${folder} has no .tf files at its top level.`);
    return { files, variables: await readVariables(files) };
  }

  async validate(_req: ValidateRequest): Promise<ValidateResult> {
    const { variables } = await this.readBlueprint();
    return {
      parameters: variables.map((v) => ({ key: v.name, description: v.description, defaultValue: v.hasDefault ? v.defaultText : undefined, noEcho: v.sensitive || undefined })),
      requiredCapabilities: [],
    };
  }

  /** The preview and zip of one staging attempt, named from (deploymentId, attempt) alone. */
  private attemptNames(target: { name: string; region?: string }, deploymentId: string, attempt: number): { preview: string; bucket: string; object: string } {
    return {
      preview: `${parentName(this.where(target))}/previews/${previewId(deploymentId, attempt)}`,
      bucket: this.settings.stagingBucket,
      object: stagingObjectName(target.name, deploymentId, attempt),
    };
  }

  async stage(req: StageRequest): Promise<StageResult> {
    const { target, signal } = req;
    const where = this.where(target);
    const name = deploymentName(where, target.name);
    const names = this.attemptNames(target, req.deploymentId, req.attempt);
    // Read before the preview is made: if the deployment moves after this, execute refuses
    // (a false alarm at worst), never applies a plan made against another revision.
    const deployment = await this.getDeployment(name, signal);
    const exists = deployment !== undefined && deployment.state !== 'DELETED';
    const rev = exists ? (deployment?.latestRevision ?? undefined) : undefined;

    // A retry of this attempt (the create's answer was lost, or the window restarted) adopts
    // the preview the first call made, and does not upload again: the bucket keeps one
    // generation of the object, so a new upload would remove the one that preview planned.
    const earlier = await this.getPreview(names.preview, signal);
    const base: PlannedBase = { create: !exists, rev };
    const preview = earlier ?? (await this.createPreview(req, names, name, base, signal));
    const gcs = typeof preview === 'string' ? preview : this.plannedSource(preview, names);
    // An adopted preview was planned against the deployment as it was then, which is what the
    // person reviews: it is applied as that (a create, or a patch of that revision), or not at all.
    const planned = typeof preview === 'string' ? base : plannedBase(preview, base, target.name);
    const ref: StagedRef = { preview: names.preview, gcs, rev: planned.rev, create: planned.create };
    return { stagedId: encodeStagedId(ref), createdTarget: false, targetId: name };
  }

  /** The exact source a preview planned; that, and nothing else, is what execute applies. */
  private plannedSource(preview: config_v1.Schema$Preview, names: { bucket: string; object: string }): string {
    const gcs = preview.terraformBlueprint?.gcsSource;
    if (gcs) return gcs;
    throw new ProviderError('Transient', `previews.get: the answer for ${preview.name ?? 'the preview'} names no blueprint source (expected gs://${names.bucket}/${names.object}); asking again.`, {
      providerCode: 'UNREADABLE_RESPONSE',
    });
  }

  private async getPreview(name: string, signal: AbortSignal): Promise<config_v1.Schema$Preview | undefined> {
    try {
      return readable('previews.get', name, await this.call('previews.get', signal, (o) => this.im.projects.locations.previews.get({ name }, o)));
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
      throw error;
    }
  }

  /** Uploads the zip and plans it; returns the preview (or, unreadable, the gs:// source with generation it plans). */
  private async createPreview(req: StageRequest, names: { preview: string; bucket: string; object: string }, name: string, base: PlannedBase, signal: AbortSignal): Promise<config_v1.Schema$Preview | string> {
    const { files, variables } = await this.readBlueprint();
    const inputValues = toInputValues(variables, req.parameters);
    const zip = await zipBlueprint(files);
    const generation = await this.objects.upload(names.bucket, names.object, zip, signal);
    const gcs = `gs://${names.bucket}/${names.object}#${generation}`;
    const where = this.where(req.target);
    const digest = blueprintDigest(zip, inputValues, variables);
    try {
      await this.call('previews.create', signal, (o) =>
        this.im.projects.locations.previews.create(
          {
            parent: parentName(where),
            previewId: names.preview.split('/').pop(),
            // The same for every call of this attempt: the service runs it once.
            requestId: requestId(req.deploymentId, 'preview', String(req.attempt)),
            requestBody: {
              deployment: name,
              serviceAccount: serviceAccountName(this.settings.serviceAccount, this.settings.project),
              tfVersionConstraint: this.settings.terraformVersion || undefined,
              terraformBlueprint: { gcsSource: gcs, inputValues },
              labels: { 'stackwatch-deployment': labelValue(req.deploymentId), 'stackwatch-attempt': String(req.attempt) },
              // What this plan was made against, for a retry that adopts it after a lost answer.
              annotations: {
                [CREATE_ANNOTATION]: String(base.create),
                [BASE_REVISION_ANNOTATION]: base.rev ?? '',
                ...(digest ? { [DIGEST_ANNOTATION]: digest } : {}),
              },
            },
          },
          o,
        ),
      );
    } catch (error) {
      // A call of this attempt whose answer was lost got there first: adopt its preview.
      if (!(error instanceof ProviderError && error.code === 'Conflict' && error.details.providerCode === 'ALREADY_EXISTS')) throw error;
    }
    // The preview names the source it planned. With a lost first answer (the service answered
    // this request ID with the first call's operation) that is an earlier upload, not ours.
    return (await this.getPreview(names.preview, signal)) ?? gcs;
  }

  private async listResourceChanges(preview: string, signal: AbortSignal): Promise<config_v1.Schema$ResourceChange[]> {
    const all: config_v1.Schema$ResourceChange[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call('previews.resourceChanges.list', signal, (o) => this.im.projects.locations.previews.resourceChanges.list({ parent: preview, pageToken }, o));
      all.push(...(page.resourceChanges ?? []));
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    return all;
  }

  async describeStaged({ target, stagedId, signal }: DescribeStagedRequest): Promise<DescribeStagedResult> {
    const ref = decodeStagedId(stagedId);
    const preview = await this.getPreview(ref.preview, signal);
    if (!preview) {
      const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
      return { state: 'failed', providerStatus: 'DELETED', reason: goneReason(ref, deployment, target.name), changes: [] };
    }
    const state = previewStagedState(preview.state ?? undefined);
    const providerStatus = preview.state ?? undefined;
    if (state === 'pending') return { state, providerStatus, changes: [] };
    if (state === 'failed') {
      const reason =
        preview.state === 'STALE'
          ? 'The preview is stale: the deployment changed after it was planned. Deploy again to preview the current state.'
          : (failureReason(preview) ?? `The preview ended in ${preview.state ?? 'an unknown state'}.`);
      return { state, providerStatus, reason, changes: [] };
    }
    const resourceChanges = await this.listResourceChanges(ref.preview, signal);
    // What the person reviews now is what Save Plan must give them later, when the apply has
    // made the service delete the preview.
    this.reviewedPlans.remember(ref.preview, planDocument(preview, resourceChanges, await this.blueprintVariables()));
    const changes = resourceChanges.map(toChange).filter((c): c is Change => c !== undefined);
    if (changes.length > 0) return { state: 'ready', providerStatus, changes };
    // No resource changes is not "nothing to do": a create still makes the deployment, and a new
    // blueprint or new inputs can change outputs, which the resource list does not show.
    if (ref.create) return { state: 'ready', providerStatus, changes: [deploymentRow(target.name, 'Add', `Creates the deployment ${target.name}; its blueprint manages no resources yet.`)] };
    if (await this.runsSameBlueprint(target, preview, signal)) return { state: 'empty', providerStatus, changes };
    return {
      state: 'ready',
      providerStatus,
      changes: [deploymentRow(target.name, 'Modify', 'No resource changes, but the blueprint or its inputs differ from what the deployment runs: applying records a new revision, and its outputs may change.')],
    };
  }

  /** Whether the deployment runs exactly the blueprint and inputs this preview planned (our digest label). */
  private async runsSameBlueprint(target: { name: string; region?: string }, preview: config_v1.Schema$Preview, signal: AbortSignal): Promise<boolean> {
    const planned = preview.annotations?.[DIGEST_ANNOTATION];
    if (!planned) return false;
    const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
    const source = deployment?.terraformBlueprint?.gcsSource ?? '';
    // Another client's apply keeps our labels: the label speaks only while the deployment runs one of our zips.
    return deployment?.state !== 'DELETED' && source.startsWith(`gs://${this.settings.stagingBucket}/stackwatch/`) && deployment?.labels?.[DIGEST_LABEL] === planned.slice(0, 63);
  }

  /** Undefined when the blueprint cannot be read: which inputs are sensitive is unknown, so planDocument masks them all. */
  private blueprintVariables(): Promise<BlueprintVariable[] | undefined> {
    return this.readBlueprint().then(
      (b) => b.variables,
      () => undefined,
    );
  }

  /**
   * IM cannot apply a preview; it applies a blueprint. We apply exactly the previewed one (same
   * object generation, same inputs) and only while the preview still describes what will happen.
   * Our own apply is looked for first: a retry after a lost create/patch answer finds it (the
   * service has deleted the preview by then) instead of applying again or calling it stale.
   */
  async execute({ target, stagedId, deploymentId, signal }: ExecuteRequest): Promise<ExecuteResult> {
    const ref = decodeStagedId(stagedId);
    const name = deploymentName(this.where(target), target.name);
    const startedAt = new Date().toISOString();
    const token = applyToken(deploymentId, ref);

    const deployment = await this.getDeployment(name, signal);
    const own = await findOwnApply(this.ownApplyLookup(target), ref, deployment, deploymentId, signal);
    if (own) {
      if (own.operationName) this.baseRevisions.set(own.operationName, ref.rev);
      return { operation: own };
    }
    const preview = await this.getPreview(ref.preview, signal);
    if (!preview) throw new ProviderError('Conflict', goneReason(ref, deployment, target.name), { hint: 'Deploy again: Stackwatch will preview the deployment as it is now.', providerCode: 'PREVIEW_GONE' });
    const exists = deployment !== undefined && deployment.state !== 'DELETED';
    this.refuseIfMoved(ref, preview, deployment, exists, target.name);

    const body: config_v1.Schema$Deployment = {
      serviceAccount: preview.serviceAccount ?? serviceAccountName(this.settings.serviceAccount, this.settings.project),
      tfVersionConstraint: preview.tfVersionConstraint ?? (this.settings.terraformVersion || undefined),
      terraformBlueprint: { gcsSource: ref.gcs, inputValues: preview.terraformBlueprint?.inputValues ?? {} },
      labels: { ...withoutDigest(deployment?.labels), [APPLY_LABEL]: applyLabel(deploymentId, ref), ...digestLabel(preview) },
    };
    const kind: OperationRef['kind'] = ref.create ? 'create' : 'update';
    const operation = ref.create
      ? await this.call('deployments.create', signal, (o) =>
          this.im.projects.locations.deployments.create({ parent: parentName(this.where(target)), deploymentId: target.name, requestId: token, requestBody: body }, o),
        )
      : await this.call('deployments.patch', signal, (o) =>
          // Without updateMask a patch replaces every field, dropping a worker pool, annotations,
          // an artifacts bucket or quota settings someone configured outside Stackwatch.
          this.im.projects.locations.deployments.patch({ name, requestId: token, updateMask: PATCH_MASK.join(','), requestBody: body }, o),
        );
    if (!operation.name) throw new ProviderError('Transient', `${ref.create ? 'deployments.create' : 'deployments.patch'} answered without an operation name; asking again (the same request ID makes it one apply).`, { providerCode: 'UNREADABLE_RESPONSE' });
    this.baseRevisions.set(operation.name, ref.rev);
    return { operation: { token, operationName: operation.name, targetId: name, startedAt, kind } };
  }

  /**
   * Whether the apply of a staged preview happened, from the deployment (its blueprint source,
   * our label, our operation), then the preview: what a restart or a lost answer left unknown.
   */
  async findExecution({ target, stagedId, deploymentId, signal }: FindExecutionRequest): Promise<FindExecutionResult> {
    const ref = decodeStagedId(stagedId);
    const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
    const own = await findOwnApply(this.ownApplyLookup(target), ref, deployment, deploymentId, signal);
    if (own) {
      if (own.operationName) this.baseRevisions.set(own.operationName, ref.rev);
      return { state: 'executed', operation: own };
    }
    const preview = await this.getPreview(ref.preview, signal);
    if (!preview) return { state: 'gone', reason: goneReason(ref, deployment, target.name) };
    const moved = movedReason(ref, deployment, target.name);
    if (moved) return { state: 'gone', reason: `superseded: ${moved}` };
    switch (preview.state) {
      case 'SUCCEEDED':
      case 'CREATING':
        return { state: 'notExecuted' };
      case 'STALE':
        return { state: 'gone', reason: `superseded: the preview of ${target.name} went stale; the deployment changed after it was planned.` };
      default:
        return { state: 'gone', reason: `The preview of ${target.name} is ${preview.state ?? 'in no known state'}${failureReason(preview) ? `: ${failureReason(preview)}` : ''}; it was never applied.` };
    }
  }

  private refuseIfMoved(ref: StagedRef, preview: config_v1.Schema$Preview, deployment: config_v1.Schema$Deployment | undefined, exists: boolean, deploymentId: string): void {
    const hint = 'Deploy again: Stackwatch will preview the deployment as it is now.';
    if (preview.state === 'STALE') {
      throw new ProviderError('Conflict', `The preview of ${deploymentId} is stale: the deployment changed after it was planned, so applying it now could do something other than what you reviewed.`, { hint, providerCode: 'STALE' });
    }
    if (preview.state !== 'SUCCEEDED') {
      throw new ProviderError('Conflict', `The preview of ${deploymentId} is ${preview.state ?? 'in an unknown state'}, not SUCCEEDED; it cannot be applied.`, { hint, providerCode: preview.state ?? undefined });
    }
    const moved = movedReason(ref, exists ? deployment : undefined, deploymentId);
    if (moved) throw new ProviderError('Conflict', `${moved} Applying now could do something other than what you reviewed.`, { hint, providerCode: 'STALE' });
  }

  /**
   * Removes what one staging attempt made: its preview (waiting for one still being created)
   * and its zip, but never a zip the deployment's blueprint names: Infrastructure Manager reads
   * the configuration it applied when the deployment is deleted later
   * (https://cloud.google.com/infrastructure-manager/docs/delete-deployments), so after an apply
   * that object belongs to the deployment. Without a stagedId (the stage call never answered)
   * the names come from (deploymentId, attempt).
   */
  async abortStaged({ target, stagedId, deploymentId, attempt, executed, signal }: AbortStagedRequest): Promise<AbortStagedResult> {
    const names = this.attemptNames(target, deploymentId, attempt);
    const preview = stagedId ? decodeStagedId(stagedId).preview : names.preview;
    // After our apply the service has deleted the preview already, so this removes nothing then.
    await this.removePreview(preview, target.name, signal);
    // The object name belongs to this attempt alone, so every generation of it is ours.
    const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
    const runsOurZip = namesObject(deployment?.terraformBlueprint?.gcsSource, names.bucket, names.object);
    const labelled = deployment !== undefined && deployment.state !== 'DELETED' && deployment.labels?.[APPLY_LABEL] === applyLabel(deploymentId, { preview });
    if (!runsOurZip) await this.objects.remove({ bucket: names.bucket, object: names.object }, signal);
    // An execute whose request was cancelled (Abort while it was in flight) can still have landed:
    // the deployment carrying this attempt's zip or label says it did, and it must be followed.
    return !executed && (runsOurZip || labelled) ? { executedMeanwhile: true } : {};
  }

  private async removePreview(name: string, deploymentId: string, signal: AbortSignal): Promise<void> {
    for (let look = 1; ; look++) {
      const preview = await this.getPreview(name, signal);
      if (!preview) return;
      if (preview.state !== 'CREATING') break;
      if (look >= PREVIEW_WAIT_LOOKS) throw new ProviderError('Transient', `The preview of ${deploymentId} is still being created; it is removed once it is done.`, { providerCode: 'CREATING' });
      await sleep(this.deps.previewWaitMs ?? PREVIEW_WAIT_MS, signal, `Waiting for the preview of ${deploymentId} to be created before removing it`);
    }
    try {
      await this.call('previews.delete', signal, (o) => this.im.projects.locations.previews.delete({ name }, o));
    } catch (error) {
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
  }

  async poll({ target, operation, cursor, signal }: PollRequest): Promise<PollResult> {
    const previous = decodeCursor(cursor);
    if (isReplacedApply(operation)) {
      // The deployment's state now is a later apply's, not ours: it must not decide our outcome.
      const reason = `Your apply ran, but a later apply (from the Cloud console, gcloud or another client) replaced it on ${target.name}, and its record is gone: how yours ended is not known. The deployment now runs that later apply's blueprint.`;
      return { phase: 'unknown', providerStatus: 'REPLACED', statusReason: reason, events: [], cursor, pagesRead: 0, notice: reason };
    }
    let pagesRead = 0;
    const read = async <T>(what: string, send: (o: CallOptions) => Promise<ApiResponse<T>>): Promise<T> => {
      pagesRead++;
      return this.call(what, signal, send);
    };
    const name = operation.targetId ?? deploymentName(this.where(target), target.name);
    const now = new Date().toISOString();

    let op: config_v1.Schema$Operation | undefined;
    if (operation.operationName) {
      const operationName = operation.operationName;
      op = await read('operations.get', (o) => this.im.projects.locations.operations.get({ name: operationName }, o));
    }
    const metadata = (op?.metadata ?? {}) as config_v1.Schema$OperationMetadata;
    const step = metadata.deploymentMetadata?.step ?? undefined;
    const response = (op?.done && op.response ? op.response : undefined) as config_v1.Schema$Deployment | undefined;
    const deployment = response?.latestRevision
      ? response
      : await read('deployments.get', (o) => this.im.projects.locations.deployments.get({ name }, o)).then(
          (d) => readable('deployments.get', name, d),
          (error: unknown) => {
            if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
            throw error;
          },
        );

    // The revision of this apply: not the one that was current before it started.
    const base = previous.base ?? (operation.operationName && this.baseRevisions.has(operation.operationName) ? this.baseRevisions.get(operation.operationName) : undefined);
    const latest = deployment?.latestRevision ?? undefined;
    const revisionName = latest && latest !== base && operation.kind !== 'delete' ? latest : undefined;

    let revision: config_v1.Schema$Revision | undefined;
    let resources: config_v1.Schema$Resource[] | undefined;
    if (revisionName) {
      const done = op?.done === true || (!op && deployment?.state !== undefined && !['CREATING', 'UPDATING', 'DELETING'].includes(deployment.state ?? ''));
      if (done) revision = await read('revisions.get', (o) => this.im.projects.locations.deployments.revisions.get({ name: revisionName }, o));
      resources = await this.listResources(revisionName, signal, () => pagesRead++);
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
      outcome,
    };
    const { events, cursor: next } = synthesizeEvents(previous, snapshot);
    next.base = base;
    const phase: PollResult['phase'] = reading?.status === 'unknown' ? 'unknown' : outcome ? (outcome.status === 'succeeded' ? 'succeeded' : 'failed') : 'inProgress';
    return {
      phase,
      providerStatus: reading?.providerStatus ?? step ?? deployment?.state ?? 'RUNNING',
      statusReason: reading?.reason,
      events,
      cursor: encodeCursor(next),
      pagesRead,
      // Why the truth is not known (the deployment vanished under the run) is news, told once.
      ...(reading?.status === 'unknown' && reading.reason ? { notice: reading.reason } : {}),
      // The operation does not say who cancelled it; a cancel this window did not send was someone else's.
      ...(reading?.status === 'cancelled' && !(operation.operationName && this.ownCancels.has(operation.operationName))
        ? { notice: `The apply was cancelled by someone else (the Cloud console, gcloud or another client), not by Stop in this window; resources applied before the cancel stay applied.` }
        : {}),
    };
  }

  private async listResources(revision: string, signal: AbortSignal, countPage: () => void): Promise<config_v1.Schema$Resource[]> {
    const all: config_v1.Schema$Resource[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      countPage();
      pages++;
      const page = await this.call('revisions.resources.list', signal, (o) => this.im.projects.locations.deployments.revisions.resources.list({ parent: revision, pageToken }, o));
      all.push(...(page.resources ?? []));
      pageToken = page.nextPageToken || undefined;
    } while (pageToken && pages < MAX_PAGES_PER_POLL);
    return all;
  }

  async stop({ target, operation, signal }: StopRequest): Promise<StopResult> {
    if (!operation.operationName) {
      throw new ProviderError('Unsupported', `Stackwatch did not start the operation running on ${target.name}, so it does not know its name and cannot cancel it. Cancel it in the Cloud console.`);
    }
    const operationName = operation.operationName;
    this.ownCancels.add(operationName);
    await this.call('operations.cancel', signal, (o) => this.im.projects.locations.operations.cancel({ name: operationName, requestBody: {} }, o));
    return { rollsBack: false };
  }

  async recover({ target, action, deploymentId, targetId, signal }: RecoverRequest): Promise<RecoverResult> {
    if (action === 'continueRollback' || action === 'rollback') {
      throw new ProviderError('Unsupported', 'Infrastructure Manager has no rollback: apply a previous blueprint instead.');
    }
    const name = deploymentName(this.where(target), target.name);
    const startedAt = new Date().toISOString();
    // Consent was given for what describeTarget showed, maybe minutes ago: look again first.
    const deployment = await this.getDeployment(name, signal);
    const exists = deployment !== undefined && deployment.state !== 'DELETED';
    if (exists) this.refuseAnotherIncarnation(deployment, targetId, action, target.name);
    if (action === 'unlock') {
      if (!exists) throw new ProviderError('Conflict', `${target.name} no longer exists, so there is no lock to release; deploy again.`);
      this.refuseIfLive(deployment, target.name);
      this.refuseIfNoLongerNeeded(deployment, action, target.name);
      const op = await this.unlock(name, target.name, signal);
      // A synchronous unlock has nothing to wait for: report it as already finished.
      return { operation: { operationName: op.name && !op.done ? op.name : undefined, targetId: name, startedAt, kind: 'unknown' } };
    }

    // The same recovery of the same deployment is the same request, so a retry after a lost
    // response gets the first attempt's operation instead of a "being deleted" refusal. The
    // createTime tells a deployment recreated later in this run from the one deleted before.
    const token = requestId(deploymentId, 'delete', name, deployment?.createTime ?? '');
    // Without an operation name poll follows the deployment itself until it is gone.
    const deletion = (operationName?: string): RecoverResult => ({ operation: { token, operationName, targetId: name, startedAt, kind: 'delete' } });
    if (!exists) return deletion();
    if (deployment.state !== 'DELETING') {
      this.refuseIfLive(deployment, target.name);
      // A retry after this recovery released the lock itself finds the deployment no longer
      // stuck: that is this consent's own doing, not a change under it.
      if (!this.releasedLocks.has(token)) this.refuseIfNoLongerNeeded(deployment, action, target.name);
      // IM refuses to delete a locked deployment; the lock is a crashed run's, so release it first.
      if (deployment.lockState === 'LOCKED') {
        const unlocking = await this.unlock(name, target.name, signal);
        this.releasedLocks.add(token);
        await this.waitForUnlock(unlocking, target.name, signal);
      }
    }
    try {
      const op = await this.call('deployments.delete', signal, (o) => this.im.projects.locations.deployments.delete({ name, force: true, requestId: token }, o));
      return deletion(op.name ?? undefined);
    } catch (error) {
      // Refused because it is already being deleted (someone else's delete, or ours under an
      // earlier request): what was asked for is under way, so follow it rather than fail.
      if (!(error instanceof ProviderError && error.code === 'Conflict' && error.details.providerCode !== 'ALREADY_EXISTS')) throw error;
      const now = await this.getDeployment(name, signal);
      if (!now?.state || now.state === 'DELETING' || now.state === 'DELETED') return deletion();
      throw error;
    }
  }

  /** The consent was about the deployment created at `agreedTo`'s createTime; another one is not touched on it. */
  private refuseAnotherIncarnation(deployment: config_v1.Schema$Deployment, agreedTo: string | undefined, action: RecoverRequest['action'], deploymentId: string): void {
    const agreed = parseIncarnation(agreedTo);
    if (!agreed?.createTime || deployment.createTime === agreed.createTime) return;
    throw new ProviderError(
      'Conflict',
      `The deployment you agreed to ${action === 'unlock' ? 'unlock' : 'delete'} (${deploymentId}, created ${agreed.createTime}) is gone; another one named ${deploymentId} exists now (created ${deployment.createTime ?? 'at an unknown time'}). Nothing was changed; deploy again to see where it stands.`,
      { hint: 'Deploy again: Stackwatch reads the deployment as it is now and asks again if it needs your consent.', providerCode: 'TARGET_REPLACED' },
    );
  }

  /**
   * The way out the person agreed to must still be one for the deployment as it is now: a
   * colleague may have unlocked and applied it since, and a force delete would then destroy a
   * healthy deployment.
   */
  private refuseIfNoLongerNeeded(deployment: config_v1.Schema$Deployment, action: RecoverRequest['action'], deploymentId: string): void {
    const recovery = deploymentMeaning(deployment.state ?? undefined, deployment.lockState ?? undefined).recovery;
    if (recovery.includes(action) || (action === 'delete' && recovery.includes('forceDelete'))) return;
    const what = action === 'unlock' ? 'Releasing the lock' : 'Deleting it';
    throw new ProviderError(
      'Conflict',
      `${what} no longer applies: ${deploymentId} is ${deployment.state ?? 'in an unknown state'} (lock ${deployment.lockState ?? 'unknown'}) now, no longer in the state you agreed to it in. Nothing was changed; deploy again to see where it stands.`,
      { hint: 'Deploy again: Stackwatch reads the deployment as it is now.', providerCode: 'RECOVERY_NOT_APPLICABLE' },
    );
  }

  /** A run in progress holds its lock on purpose; releasing it or deleting under it corrupts state. */
  private refuseIfLive(deployment: config_v1.Schema$Deployment, deploymentId: string): void {
    const state = deployment.state ?? 'STATE_UNSPECIFIED';
    const lockState = deployment.lockState ?? 'LOCK_STATE_UNSPECIFIED';
    if (LIVE_STATES.has(state) || LIVE_LOCK_STATES.has(lockState)) {
      throw new ProviderError('Conflict', `${deploymentId} is ${state} (lock ${lockState}): a run is in progress and holds it, so Stackwatch changed nothing.`, {
        hint: 'Wait for that run to finish, then deploy again.',
        providerCode: LIVE_STATES.has(state) ? state : lockState,
      });
    }
  }

  private async unlock(name: string, deploymentId: string, signal: AbortSignal): Promise<config_v1.Schema$Operation> {
    const lock = await this.call('deployments.exportLock', signal, (o) => this.im.projects.locations.deployments.exportLock({ name }, o));
    if (!lock.lockId) throw new ProviderError('Conflict', `${deploymentId} holds no lock any more; deploy again.`);
    const lockId = lock.lockId;
    return this.call('deployments.unlock', signal, (o) => this.im.projects.locations.deployments.unlock({ name, requestBody: { lockId } }, o));
  }

  /** Unlocking is quick; a few short waits, then a retryable error so the machine backs off and retries. */
  private async waitForUnlock(op: config_v1.Schema$Operation, deploymentId: string, signal: AbortSignal): Promise<void> {
    let current = op;
    for (let attempt = 0; !current.done && current.name && attempt < UNLOCK_CHECKS; attempt++) {
      await sleep(UNLOCK_CHECK_MS, signal, `Waiting for the lock on ${deploymentId} to be released`);
      const operationName = current.name;
      current = await this.call('operations.get', signal, (o) => this.im.projects.locations.operations.get({ name: operationName }, o));
    }
    if (!current.done && current.name) throw new ProviderError('Transient', `The lock on ${deploymentId} is still being released; trying again.`);
    if (current.error) throw new ProviderError('Conflict', `Unlocking ${deploymentId} failed: ${current.error.message ?? 'unknown error'}.`);
  }

  async outputs({ target, signal }: OutputsRequest): Promise<StackOutput[]> {
    const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
    const revisionName = deployment?.latestRevision;
    if (!revisionName) return [];
    const revision = await this.call('revisions.get', signal, (o) => this.im.projects.locations.deployments.revisions.get({ name: revisionName }, o));
    return Object.entries(revision.applyResults?.outputs ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, output]) => {
        const sensitive = output.sensitive === true;
        const raw: unknown = output.value;
        // The value stays on the extension host, marked: the view model masks it before the webview
        // (and history) see it, and Copy reads it here, as for any other provider.
        return { key, value: typeof raw === 'string' ? raw : JSON.stringify(raw ?? null), sensitive };
      });
  }

  /**
   * The preview and its resource changes as a plan document. After an apply the service has
   * deleted the preview: the plan this window reviewed (kept by describeStaged) is served instead.
   */
  async template({ target, stagedId, signal }: TemplateRequest): Promise<string> {
    const ref = decodeStagedId(stagedId);
    try {
      const preview = await this.getPreview(ref.preview, signal);
      if (preview) return planDocument(preview, await this.listResourceChanges(ref.preview, signal), await this.blueprintVariables());
    } catch (error) {
      // Deleted between the two reads: the same as gone.
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
    const kept = this.reviewedPlans.recall(ref.preview);
    if (kept) return kept;
    throw planGoneError(target.name, await this.runsBlueprint(target, ref.gcs, signal));
  }

  /** Whether the deployment now runs this blueprint object (any generation); a failed read says no. */
  private async runsBlueprint(target: { name: string; region?: string }, gcs: string, signal: AbortSignal): Promise<boolean> {
    try {
      const { bucket, object } = parseGcsSource(gcs);
      const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
      return namesObject(deployment?.terraformBlueprint?.gcsSource, bucket, object);
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'Aborted') throw error;
      return false;
    }
  }
}

/**
 * A deployment or preview read must name the resource and its state: a well-formed but empty
 * answer (`{}`) would otherwise read as "not ours", "never applied" or "stale", and a read that
 * says nothing must not decide anything.
 */
function readable<T extends { name?: string | null; state?: string | null }>(operation: string, name: string, answer: T): T {
  if (answer.name && answer.state) return answer;
  throw new ProviderError('Transient', `${operation}: the answer for ${name.split('/').pop() ?? name} could not be read (it has no ${answer.name ? 'state' : 'name'}); asking again.`, {
    providerCode: 'UNREADABLE_RESPONSE',
  });
}

/** A pause that ends early, as an Aborted error, when the caller cancels. */
function sleep(ms: number, signal: AbortSignal, what: string): Promise<void> {
  return abortableDelay(ms, signal, `${what}: cancelled.`);
}

/** Annotations on our previews: whether the plan is a create, and the revision it was planned against. */
const CREATE_ANNOTATION = 'stackwatch.dev/create';
const BASE_REVISION_ANNOTATION = 'stackwatch.dev/base-revision';

/** The deployment a plan was made against: absent (a create) or at revision `rev`. */
interface PlannedBase {
  create: boolean;
  rev?: string;
}

/** Preview annotation and deployment label: a digest of the blueprint zip and its inputs. */
const DIGEST_ANNOTATION = 'stackwatch.dev/blueprint-sha256';
const DIGEST_LABEL = 'stackwatch-blueprint';

/**
 * What a plan applies, as one value, so "no resource changes" can be told from "same blueprint and
 * inputs". None when an input is sensitive: a hash of a short secret in a label can be guessed back.
 */
function blueprintDigest(zip: Uint8Array, inputValues: Record<string, unknown>, variables: readonly BlueprintVariable[]): string | undefined {
  if (variables.some((v) => v.sensitive && v.name in inputValues)) return undefined;
  const inputs = JSON.stringify(Object.keys(inputValues).sort().map((k) => [k, inputValues[k]]));
  return createHash('sha256').update(zip).update('\0').update(inputs).digest('hex');
}

/** The label execute sets from the preview's digest; without one, a stale label must not stay. */
function digestLabel(preview: config_v1.Schema$Preview): Record<string, string> {
  const digest = preview.annotations?.[DIGEST_ANNOTATION];
  return digest ? { [DIGEST_LABEL]: digest.slice(0, 63) } : {};
}

function withoutDigest(labels: Record<string, string> | null | undefined): Record<string, string> {
  const { [DIGEST_LABEL]: _dropped, ...rest } = labels ?? {};
  return rest;
}

/** A row for the deployment itself, when the resource list alone would read as "no changes". */
function deploymentRow(deploymentId: string, action: Change['action'], detail: string): Change {
  return { logicalId: deploymentId, action, resourceType: DEPLOYMENT_TYPE, details: [detail] };
}

/**
 * What an adopted preview was planned against, refused when the deployment is not that any more
 * (created, deleted or moved since): applying it would do something other than the plan shows.
 * A preview without our annotations (made by an earlier version) is taken as planned against now.
 */
function plannedBase(preview: config_v1.Schema$Preview, now: PlannedBase, deploymentId: string): PlannedBase {
  const recorded = preview.annotations?.[CREATE_ANNOTATION];
  if (recorded !== 'true' && recorded !== 'false') return now;
  const planned: PlannedBase = { create: recorded === 'true', rev: preview.annotations?.[BASE_REVISION_ANNOTATION] || undefined };
  if (planned.create === now.create && (planned.create || planned.rev === now.rev)) return planned;
  const what = planned.create
    ? `it was planned as a create, when ${deploymentId} did not exist, and it has been created by someone else since`
    : now.create
      ? `it was planned against revision ${lastPart(planned.rev)}, and ${deploymentId} has been deleted since`
      : `it was planned against revision ${lastPart(planned.rev)}, and ${deploymentId} is at ${lastPart(now.rev)} now`;
  throw new ProviderError('Conflict', `The preview of ${deploymentId} no longer describes what an apply would do: ${what}. Nothing was applied.`, {
    hint: 'Deploy again: Stackwatch will preview the deployment as it is now.',
    providerCode: 'STALE',
  });
}

/**
 * How the deployment moved since the preview was planned, in words; undefined when it did not.
 * `deployment` undefined means it does not exist.
 */
function movedReason(ref: StagedRef, deployment: config_v1.Schema$Deployment | undefined, deploymentId: string): string | undefined {
  const exists = deployment !== undefined && deployment.state !== 'DELETED';
  if (ref.create && exists) return `${deploymentId} was created by someone else after the preview was planned.`;
  if (!ref.create && !exists) return `${deploymentId} was deleted after the preview was planned.`;
  const now = deployment?.latestRevision ?? undefined;
  if (!ref.create && now !== ref.rev) return `${deploymentId} moved from revision ${lastPart(ref.rev)} to ${lastPart(now)} after the preview was planned.`;
  return undefined;
}

/** Why a preview is no longer there: the service removes it when its deployment changes. */
function goneReason(ref: StagedRef, deployment: config_v1.Schema$Deployment | undefined, deploymentId: string): string {
  const moved = movedReason(ref, deployment, deploymentId);
  return moved
    ? `superseded: ${moved} Infrastructure Manager deletes a deployment's previews when the deployment is updated or deleted, so the preview you reviewed is gone and nothing of it was applied.`
    : `The preview of ${deploymentId} was deleted outside this deployment before it was applied; nothing of it was applied.`;
}

function lastPart(name: string | undefined): string {
  return name ? (name.split('/').pop() ?? name) : '(none)';
}
