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
  type DescribeRecoveryRequest,
  type DescribeRecoveryResult,
  type DescribeStagedRequest,
  type DescribeStagedResult,
  type DescribeTargetRequest,
  type DescribeTargetResult,
  type DiscardRecoveryPlanRequest,
  type DeploymentEvent,
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
import { isLoopbackEndpoint } from './loopback';
import { readDeployment, readPreview, readable } from './reads';
import type { BlueprintVariable } from './blueprint';
import { BlueprintFileError, listBlueprintFiles, readVariables, rootTerraformFiles, type BlueprintFile } from './blueprintFiles';
import { checkBlueprintFiles, checkedBlueprints, digestOf, type CheckedBlueprint } from './checkedBlueprints';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, GcpCaller, type ApiResponse, type CallOptions, type CallSpec } from './calls';
import { toChange } from './changes';
import { DEPLOYMENT_TYPE, decodeCursor, encodeCursor, synthesizeEvents, type PollSnapshot } from './events';
import { failedDeleteReason, isFailedDelete } from './failedDelete';
import { errorsByAddress, failureReason } from './failures';
import { describeAdcIdentity, describeInjectedIdentity, type GcpIdentity } from './identity';
import { toInputValues } from './inputs';
import { decodeStagedId, deploymentName, encodeStagedId, incarnationId, lastPart, parentName, parseGcsSource, parseIncarnation, previewId, requestId, stagingObjectName, type StagedRef } from './names';
import { applyToken, findOwnApply, isReplacedApply, namesObject, showsOwnApply, type OwnApplyLookup } from './ownApply';
import { appliedDigestMatches, applyMark, applyMarkFields, carriesApplyMark, DIGEST_ANNOTATION, labelValue } from './applyMarks';
import { checkApplySettings, deploymentSettingFields, previewSettingFields, refuseArtifactsBucketChange } from './applySettings';
import { checkTerraformVersion } from './terraformVersions';
import { withDrift } from './drifts';
import { exportedPlan } from './planExport';
import type { MaskingFacts } from './planMasking';
import { ReviewedPlans, planGoneError } from './reviewedPlans';
import { PreviewedPlans, previewedIntents } from './applyPlan';
import { cancelRefusal } from './cancel';
import { joinNotices, progressNews, type ProgressMemory, type ProgressNews } from './liveProgress';
import { operationOutcome } from './outcome';
import { recoveryAction } from './recovery';
import { GCP_SETTING_KEYS, serviceAccountName, type GcpProviderSettings } from './settings';
import { StagingObjects } from './stagingObject';
import { DeletePreviews } from './deletePreview';
import { sweepStagedObjects } from './stagingSweep';
import { deploymentMeaning, previewStagedState, type DeploymentMeaning } from './statusTables';
import { DeploymentLocks, heldLockReason, isLockChange, lockChangeOutcome, lockChangePoll, lockIsHeld, previewPlanningReason, unlockFailedReason, unlockRunningReason, type HeldLock } from './locks';

export { isLoopbackEndpoint };

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
  /** Budget for reading the exported plan during the review (default 8 s); past it the review goes on without it. */
  reviewExportMs?: number;
  /** How long execute waits for a first deploy's preview delete before answering (default 3 s); past it the delete goes on beside the run. */
  createPreviewWaitMs?: number;
}

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];
/** Bounds one poll's paging through a revision's resources. */
const MAX_PAGES_PER_POLL = 20;
/** Looks at a preview still being created before abortStaged gives the machine a retryable error. */
const PREVIEW_WAIT_LOOKS = 15;
const PREVIEW_WAIT_MS = 2_000;
/** Bounds the early delete of a first deploy's preview, which may go on beside the run. */
const CREATE_PREVIEW_DROP_MS = 30_000;
/** How long execute waits for that delete before it answers with the create anyway. */
const CREATE_PREVIEW_WAIT_MS = 3_000;
/** Well inside the machine's 25 s read deadline, after the preview and its changes were read. */
const REVIEW_EXPORT_MS = 8_000;
/** Bounds the drift list like the poll's resource paging. */
const MAX_DRIFT_PAGES = 20;
/**
 * The fields every patch sets; a patch without a mask would reset all the others. The apply settings
 * and our annotations add their paths only when sent (applySettings.ts, applyMarks.ts): a path
 * named with no value clears what someone set on the deployment.
 */
const PATCH_MASK = ['terraformBlueprint', 'serviceAccount'] as const;
/** States in which a run is live: its lock is held on purpose, not left by a crash. */
const LIVE_STATES = new Set(['CREATING', 'UPDATING', 'DELETING']);
const LIVE_LOCK_STATES = new Set(['LOCKING', 'UNLOCKING']);

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
  /** Operations whose cancel the service answered without refusing: "requested", not "done". */
  private readonly acceptedCancels = new Set<string>();
  /** What the previews this window read planned, to compare with the apply's own plan. */
  private readonly previewedPlans = new PreviewedPlans();
  /** Delete recoveries (by request ID) that released the deployment's lock themselves. */
  private readonly releasedLocks = new Set<string>();
  /** Reads, releases and follows deployment locks. */
  private readonly locks: DeploymentLocks;
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
    this.locks = new DeploymentLocks(this.caller, this.im);
  }

  dispose(): void {
    // The googleapis clients have no close(); only our own per-operation memory is released.
    this.baseRevisions.clear();
    this.releasedLocks.clear();
    this.locks.clear();
    this.ownCancels.clear();
    this.acceptedCancels.clear();
    this.previewedPlans.clear();
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

  private getDeployment(name: string, signal: AbortSignal): Promise<config_v1.Schema$Deployment | undefined> {
    return readDeployment({ caller: this.caller, im: this.im }, name, signal);
  }

  async describeTarget({ target, signal }: DescribeTargetRequest): Promise<DescribeTargetResult> {
    const name = deploymentName(this.where(target), target.name);
    const deployment = await this.getDeployment(name, signal);
    if (!deployment || deployment.state === 'DELETED') {
      this.locks.forget(name);
      return { condition: 'missing', recoveryActions: [] };
    }
    // Only a 404 says "missing": an answer without a state says nothing, and must not decide.
    if (!deployment.state) throw new ProviderError('Transient', `deployments.get: the answer for ${target.name} has no state; asking again.`, { providerCode: 'UNREADABLE_RESPONSE' });
    const { meaning, lockReason, held } = await this.readLockMeaning(name, deployment, target, signal);
    const status = deployment.lockState === 'LOCKED' || meaning.condition === 'unrecoverable' ? `${deployment.state} (lock ${deployment.lockState ?? 'unknown'})` : deployment.state;
    const lastUpdatedAt = deployment.updateTime ?? deployment.createTime ?? undefined;
    const result: DescribeTargetResult = {
      condition: meaning.condition,
      providerStatus: status,
      statusReason: meaning.unknownState
        ? `Infrastructure Manager reports ${deployment.state}, a state this version of Stackwatch does not know; it is read again and decides nothing.${deployment.stateDetail ? ` ${deployment.stateDetail}` : ''}`
        : (lockReason ?? failedDeleteReason(deployment, target.name) ?? failureReason(deployment) ?? (deployment.stateDetail || undefined)),
      // This incarnation, and the lock the consent names: a consent given about them is not about
      // one created later under the same name, nor about a lock taken since.
      targetId: incarnationId(deployment.name ?? name, deployment.createTime, held?.facts?.lockId),
      recoveryActions: meaning.recovery.map((id) => recoveryAction(id, target.name, status, held ?? deployment.lockState === 'LOCKED')),
      lastUpdatedAt,
    };
    if (meaning.condition === 'inProgress') {
      // Someone else's (or an earlier window's) apply: the deployment does not name its operation.
      result.operation = { startedAt: lastUpdatedAt ?? new Date().toISOString(), kind: meaning.operation ?? 'unknown', targetId: deployment.name ?? name };
    }
    return result;
  }

  /**
   * What the deployment's lock means now. An unlock this window started (or joined) is followed
   * until the service says how it ended, and its failure is this run's failure. A held lock is
   * read (LockInfo, previews): a preview planning under it is in progress, anyone else's lock
   * waits for consent, and the consent says whose it is.
   */
  private async readLockMeaning(
    name: string,
    deployment: config_v1.Schema$Deployment,
    target: { name: string; region?: string },
    signal: AbortSignal,
  ): Promise<{ meaning: DeploymentMeaning; lockReason?: string; held?: HeldLock }> {
    const meaning = deploymentMeaning(deployment.state ?? undefined, deployment.lockState ?? undefined, deployment.errorCode ?? undefined);
    const unlocking = await this.locks.progress(name, deployment, target.name, signal);
    if (unlocking?.status === 'failed') {
      throw new ProviderError('Conflict', unlocking.reason, { hint: 'Deploy again to see the lock as it is now; Stackwatch asks before releasing it again.', providerCode: 'UNLOCK_FAILED' });
    }
    const following: DeploymentMeaning = { condition: 'inProgress', recovery: [], operation: 'unknown' };
    if (unlocking?.status === 'running') return { meaning: following, lockReason: unlockRunningReason(target.name, unlocking.step) };
    if (!meaning.lockHeld) return { meaning };
    const lock = await this.locks.read(name, parentName(this.where(target)), signal);
    if (lock.noLock) {
      // A failed lock holds nothing; a lock that vanished between two reads is read again.
      if (deployment.lockState === 'LOCK_FAILED') return { meaning: deploymentMeaning(deployment.state ?? undefined, undefined, deployment.errorCode ?? undefined) };
      throw new ProviderError('Transient', `The lock on ${target.name} changed while Stackwatch read it; asking again.`, { providerCode: 'LOCK_CHANGED' });
    }
    if (lock.preview) return { meaning: following, lockReason: previewPlanningReason(target.name, lock.preview, lock.facts) };
    const held: HeldLock = { state: deployment.lockState ?? 'LOCKED', facts: lock.facts };
    return { meaning, lockReason: heldLockReason(target.name, held), held };
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
      object: stagingObjectName(this.where(target), target.name, deploymentId, attempt),
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
    refuseArtifactsBucketChange(this.settings, deployment, target.name);
    const exists = deployment !== undefined && deployment.state !== 'DELETED';
    const rev = exists ? (deployment?.latestRevision ?? undefined) : undefined;

    // A retry of this attempt (the create's answer was lost, or the window restarted) adopts
    // the preview the first call made, and does not upload again: the bucket keeps one
    // generation of the object, so a new upload would remove the one that preview planned.
    const earlier = await this.getPreview(names.preview, signal);
    const base: PlannedBase = { create: !exists, rev };
    let checked: CheckedBlueprint | undefined;
    let preview: config_v1.Schema$Preview | string;
    if (earlier) {
      preview = earlier;
      checked = this.adoptedZip(earlier, req);
    } else {
      checked = await this.checkedBlueprint(req.template, signal);
      preview = await this.createPreview(req, checked, names, name, base, signal);
    }
    const gcs = typeof preview === 'string' ? preview : this.plannedSource(preview, names);
    // An adopted preview was planned against the deployment as it was then, which is what the
    // person reviews: it is applied as that (a create, or a patch of that revision), or not at all.
    const planned = typeof preview === 'string' ? base : plannedBase(preview, base, target.name);
    // The checked zip's digest, when this call uploaded it: which inputs are sensitive comes from it later.
    const ref: StagedRef = { preview: names.preview, gcs, rev: planned.rev, create: planned.create, ...(checked ? { zip: checked.sha256 } : {}), run: req.deploymentId };
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

  private getPreview(name: string, signal: AbortSignal): Promise<config_v1.Schema$Preview | undefined> {
    return readPreview({ caller: this.caller, im: this.im }, name, signal);
  }

  /**
   * The zip initialize checked, found by the digest its manifest names. Not kept any more (a
   * reload, or evicted): the folder is zipped again and used only when it is the same zip, so a
   * blueprint edited after the check is never what gets uploaded.
   */
  private async checkedBlueprint(template: StageRequest['template'], signal: AbortSignal): Promise<CheckedBlueprint> {
    const digest = digestOf(template.body);
    if (!digest) {
      throw new ProviderError('Validation', `The blueprint ${template.path} was not checked before staging (its manifest names no checked zip); nothing was uploaded.`, {
        hint: 'Deploy again: Stackwatch checks the blueprint folder first.',
        providerCode: 'BLUEPRINT_NOT_CHECKED',
      });
    }
    const kept = checkedBlueprints.get(digest);
    if (kept) return kept;
    const now = await checkBlueprintFiles((await this.readBlueprint()).files);
    signal.throwIfAborted();
    if (now.sha256 !== digest) {
      throw new ProviderError('Validation', `The blueprint ${template.path} changed since it was checked (its files are not the ones checked and shown); nothing was uploaded.`, {
        hint: 'Deploy again: Stackwatch checks and previews the blueprint as it is now.',
        providerCode: 'BLUEPRINT_CHANGED',
      });
    }
    checkedBlueprints.put(now);
    return now;
  }

  /**
   * The checked zip an adopted preview planned, when its digest annotation (zip and inputs)
   * says it is the one this template names; otherwise unknown (inputs are then all masked).
   */
  private adoptedZip(preview: config_v1.Schema$Preview, req: StageRequest): CheckedBlueprint | undefined {
    const digest = digestOf(req.template.body);
    const kept = digest ? checkedBlueprints.get(digest) : undefined;
    const planned = preview.annotations?.[DIGEST_ANNOTATION];
    if (!kept || !planned) return undefined;
    return planned === blueprintDigest(kept.zip, toInputValues(kept.variables, req.parameters), kept.variables) ? kept : undefined;
  }

  /** Uploads the checked zip and plans it; returns the preview (or, unreadable, the gs:// source with generation it plans). */
  private async createPreview(req: StageRequest, checked: CheckedBlueprint, names: { preview: string; bucket: string; object: string }, name: string, base: PlannedBase, signal: AbortSignal): Promise<config_v1.Schema$Preview | string> {
    // Settings the service would refuse only after the upload (or Cloud Build, minutes later) are refused first.
    checkApplySettings(this.settings);
    if (this.settings.terraformVersion) await checkTerraformVersion(this.ownApplyLookup(req.target), this.settings.terraformVersion, signal);
    // The bytes initialize checked, not the folder as it is now.
    const { zip, variables } = checked;
    const inputValues = toInputValues(variables, req.parameters);
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
              // A first deploy's preview names no deployment: there is none yet (the docs' example for a new deployment omits it).
              deployment: base.create ? undefined : name,
              serviceAccount: serviceAccountName(this.settings.serviceAccount, this.settings.project),
              ...previewSettingFields(this.settings),
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
      // Our own apply makes the service delete an update's preview (and the clean-up a create's): it was applied, not superseded.
      if (showsOwnApply(deployment, ref, ref.run)) return { state: 'failed', providerStatus: 'APPLIED', reason: appliedReason(ref, target.name), changes: [] };
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
    await this.keepReviewedPlan(ref, preview, signal);
    this.previewedPlans.rememberPreview(ref.preview, previewedIntents(resourceChanges));
    const changes = withDrift(
      resourceChanges.map(toChange).filter((c): c is Change => c !== undefined),
      await this.readDrifts(ref.preview, signal),
    );
    // Drift alone changes nothing: its rows are shown, but they do not make the preview worth applying.
    if (changes.some((c) => c.action !== 'None')) return { state: 'ready', providerStatus, changes };
    // No resource changes is not "nothing to do": a create still makes the deployment, and a new
    // blueprint or new inputs can change outputs, which the resource list does not show.
    if (ref.create) return { state: 'ready', providerStatus, changes: [deploymentRow(target.name, 'Add', `Creates the deployment ${target.name}; its blueprint manages no resources yet.`)] };
    if (await this.runsSameBlueprint(target, preview, signal)) return { state: 'empty', providerStatus, changes };
    return {
      state: 'ready',
      providerStatus,
      changes: [deploymentRow(target.name, 'Modify', 'No resource changes, but the blueprint or its inputs differ from what the deployment runs: applying records a new revision, and its outputs may change.'), ...changes],
    };
  }

  /**
   * What the preview's refresh found changed outside Terraform. The list is extra: when it is
   * missing (NotFound, UNIMPLEMENTED) there is no drift to show, and when it fails the review
   * goes on without it, since it decides nothing about the apply.
   */
  private async readDrifts(preview: string, signal: AbortSignal): Promise<config_v1.Schema$ResourceDrift[]> {
    const all: config_v1.Schema$ResourceDrift[] = [];
    let pageToken: string | undefined;
    try {
      for (let page = 0; page < MAX_DRIFT_PAGES; page++) {
        const answer = await this.call('previews.resourceDrifts.list', signal, (o) => this.im.projects.locations.previews.resourceDrifts.list({ parent: preview, pageToken }, o));
        all.push(...(answer.resourceDrifts ?? []));
        pageToken = answer.nextPageToken || undefined;
        if (!pageToken) break;
      }
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'Aborted') throw error;
      return [];
    }
    return all;
  }

  /** What Save Plan needs to know to mask the exported plan. */
  private async maskingFacts(ref: StagedRef, preview: config_v1.Schema$Preview): Promise<MaskingFacts> {
    const variables = await this.blueprintVariables(ref);
    const sensitive = new Set(variables?.filter((v) => v.sensitive).map((v) => v.name));
    const knownSecrets = Object.entries(preview.terraformBlueprint?.inputValues ?? {})
      .filter(([name]) => !variables || sensitive.has(name))
      .map(([, input]): unknown => input.inputValue)
      .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
      .map(String);
    return { variables, knownSecrets };
  }

  /**
   * Reads the preview's exported plan while the preview exists, for Save Plan after the apply.
   * It is best effort within a short budget: a plan that cannot be exported now is exported when
   * Save Plan asks (while the preview lasts), and never holds up or fails the review.
   */
  private async keepReviewedPlan(ref: StagedRef, preview: config_v1.Schema$Preview, signal: AbortSignal): Promise<void> {
    if (this.reviewedPlans.recall(ref.preview)) return;
    const budget = new AbortController();
    const stop = (): void => budget.abort();
    const timer = setTimeout(stop, this.deps.reviewExportMs ?? REVIEW_EXPORT_MS);
    signal.addEventListener('abort', stop, { once: true });
    try {
      this.reviewedPlans.remember(ref.preview, await exportedPlan({ caller: this.caller, im: this.im }, ref.preview, await this.maskingFacts(ref, preview), budget.signal));
    } catch (error) {
      if (signal.aborted) throw new ProviderError('Aborted', 'Reading the preview: cancelled.', { cause: error });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }

  /** Whether the deployment runs exactly the blueprint and inputs this preview planned (our digest label). */
  private async runsSameBlueprint(target: { name: string; region?: string }, preview: config_v1.Schema$Preview, signal: AbortSignal): Promise<boolean> {
    const planned = preview.annotations?.[DIGEST_ANNOTATION];
    if (!planned) return false;
    const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
    const source = deployment?.terraformBlueprint?.gcsSource ?? '';
    // Another client's apply keeps our annotations: the digest speaks only while the deployment runs one of our zips.
    return deployment?.state !== 'DELETED' && source.startsWith(`gs://${this.settings.stagingBucket}/stackwatch/`) && appliedDigestMatches(deployment, planned);
  }

  /**
   * The variables of the zip this preview planned (the checked one), not of the folder as it is
   * now. Undefined when that zip is not known any more (adopted from an earlier call, or edited
   * since): which inputs are sensitive is then unknown, so the saved plan masks them all.
   */
  private async blueprintVariables(ref: StagedRef): Promise<BlueprintVariable[] | undefined> {
    if (!ref.zip) return undefined;
    const kept = checkedBlueprints.get(ref.zip);
    if (kept) return kept.variables;
    try {
      const now = await checkBlueprintFiles((await this.readBlueprint()).files);
      if (now.sha256 !== ref.zip) return undefined;
      checkedBlueprints.put(now);
      return now.variables;
    } catch {
      return undefined;
    }
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
      if (own.operationName) {
        this.baseRevisions.set(own.operationName, ref.rev);
        this.previewedPlans.linkOperation(own.operationName, ref.preview);
      }
      return { operation: own };
    }
    const preview = await this.getPreview(ref.preview, signal);
    if (!preview) throw new ProviderError('Conflict', goneReason(ref, deployment, target.name), { hint: 'Deploy again: Stackwatch will preview the deployment as it is now.', providerCode: 'PREVIEW_GONE' });
    const exists = deployment !== undefined && deployment.state !== 'DELETED';
    this.refuseIfMoved(ref, preview, deployment, exists, target.name);

    // Apply settings go only when set; our marks are merged into the annotations just read.
    const settingFields = deploymentSettingFields(this.settings, ref.create, preview.tfVersionConstraint);
    const marks = applyMarkFields(exists ? deployment : undefined, applyMark(deploymentId, ref), preview.annotations?.[DIGEST_ANNOTATION]);
    const body: config_v1.Schema$Deployment = {
      serviceAccount: preview.serviceAccount ?? serviceAccountName(this.settings.serviceAccount, this.settings.project),
      terraformBlueprint: { gcsSource: ref.gcs, inputValues: preview.terraformBlueprint?.inputValues ?? {} },
      ...settingFields.fields,
      ...marks.fields,
    };
    const updateMask = [...PATCH_MASK, ...settingFields.mask, ...marks.mask].join(',');
    const kind: OperationRef['kind'] = ref.create ? 'create' : 'update';
    const operation = ref.create
      ? await this.call('deployments.create', signal, (o) =>
          this.im.projects.locations.deployments.create({ parent: parentName(this.where(target)), deploymentId: target.name, requestId: token, requestBody: body }, o),
        )
      : await this.call('deployments.patch', signal, (o) =>
          // Without updateMask a patch replaces every field, dropping a worker pool, annotations,
          // an artifacts bucket or quota settings someone configured outside Stackwatch.
          this.im.projects.locations.deployments.patch({ name, requestId: token, updateMask, requestBody: body }, o),
        );
    if (!operation.name) throw new ProviderError('Transient', `${ref.create ? 'deployments.create' : 'deployments.patch'} answered without an operation name; asking again (the same request ID makes it one apply).`, { providerCode: 'UNREADABLE_RESPONSE' });
    this.baseRevisions.set(operation.name, ref.rev);
    this.previewedPlans.linkOperation(operation.name, ref.preview);
    if (ref.create) await this.dropCreatePreview(ref.preview, signal);
    return { operation: { token, operationName: operation.name, targetId: name, startedAt, kind } };
  }

  /**
   * A first deploy's preview names no deployment, so the service does not delete it on the apply
   * as it does an update's. Its delete is sent as soon as the create is accepted, while the
   * credentials that applied still work. Execute waits for it a moment only: a slow delete goes on
   * beside the run and must not hold up the create's answer (execute's deadline, after which the
   * apply would be followed blind). Failing that, the end of the run (abortStaged) removes it.
   */
  private async dropCreatePreview(preview: string, signal: AbortSignal): Promise<void> {
    const dropped = this.call('previews.delete', AbortSignal.timeout(CREATE_PREVIEW_DROP_MS), (o) => this.im.projects.locations.previews.delete({ name: preview }, o)).then(
      () => undefined,
      () => undefined, // Best effort: abortStaged removes what is left.
    );
    let stopWaiting = (): void => undefined;
    const waited = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.deps.createPreviewWaitMs ?? CREATE_PREVIEW_WAIT_MS);
      stopWaiting = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', stopWaiting);
        resolve();
      };
      signal.addEventListener('abort', stopWaiting, { once: true });
    });
    await Promise.race([dropped, waited]);
    stopWaiting();
  }

  /**
   * Whether the apply of a staged preview happened, from the deployment (its blueprint source,
   * our annotation, our operation), then the preview: what a restart or a lost answer left unknown.
   */
  async findExecution({ target, stagedId, deploymentId, signal }: FindExecutionRequest): Promise<FindExecutionResult> {
    const ref = decodeStagedId(stagedId);
    const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
    const own = await findOwnApply(this.ownApplyLookup(target), ref, deployment, deploymentId, signal);
    if (own) {
      if (own.operationName) {
        this.baseRevisions.set(own.operationName, ref.rev);
        this.previewedPlans.linkOperation(own.operationName, ref.preview);
      }
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
    // After our apply the service has deleted an update's preview already; a first deploy's
    // preview names no deployment, so the service keeps it, and it is removed here.
    await this.removePreview(preview, target.name, signal);
    // The object name belongs to this attempt alone, so every generation of it is ours.
    const deployment = await this.getDeployment(deploymentName(this.where(target), target.name), signal);
    const runsOurZip = namesObject(deployment?.terraformBlueprint?.gcsSource, names.bucket, names.object);
    const labelled = carriesApplyMark(deployment, deploymentId, { preview });
    if (!runsOurZip) await this.objects.remove({ bucket: names.bucket, object: names.object }, signal);
    // Our apply succeeded and is the latest: older zips no revision needs go, as gcloud does.
    // Best effort (stagingSweep.ts): its failure is not this run's, and only a cancel comes out of it.
    if (executed && runsOurZip && deployment?.state === 'ACTIVE') {
      await sweepStagedObjects({ caller: this.caller, im: this.im, objects: this.objects, deployment, bucket: names.bucket, where: this.where(target), target: target.name, signal });
    }
    // An execute whose request was cancelled (Abort while it was in flight) can still have landed:
    // the deployment carrying this attempt's zip or apply annotation says it did, and it must be followed.
    return !executed && (runsOurZip || labelled) ? { executedMeanwhile: true } : {};
  }

  private async removePreview(name: string, deploymentId: string, signal: AbortSignal): Promise<void> {
    for (let look = 1; ; look++) {
      const preview = await this.getPreview(name, signal);
      if (!preview) return;
      if (preview.state !== 'CREATING') break;
      if (look >= PREVIEW_WAIT_LOOKS) throw new ProviderError('Transient', `The preview of ${deploymentId} is still being created; it is removed once it is done.`, { providerCode: 'CREATING' });
      await abortableDelay(this.deps.previewWaitMs ?? PREVIEW_WAIT_MS, signal, `Waiting for the preview of ${deploymentId} to be created before removing it: cancelled.`);
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
    // A lock or unlock (a recovery's): its Deployment answer's lockState is the outcome, not a revision.
    if (op && isLockChange(op)) return lockChangePoll(op, target.name, cursor, pagesRead);
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
    const { events: synthesized, cursor: next } = synthesizeEvents(previous, snapshot);
    next.base = base;
    const news = this.progressNews(operation, previous.progress, snapshot, op, metadata);
    next.progress = news.memory;
    const events = beforeTheEnd(synthesized, news.events, target.name);
    const phase: PollResult['phase'] = reading?.status === 'unknown' ? 'unknown' : outcome ? (outcome.status === 'succeeded' ? 'succeeded' : 'failed') : 'inProgress';
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
      ...(reading?.status === 'cancelled' && !(operation.operationName && this.ownCancels.has(operation.operationName))
        ? { notice: `The apply was cancelled by someone else (the Cloud console, gcloud or another client), not by Stop in this window; resources applied before the cancel stay applied.` }
        : {}),
    });
  }

  /** Step, log, resource-reporting, plan and cancel news for this poll (liveProgress.ts); none for a delete. */
  private progressNews(operation: OperationRef, memory: ProgressMemory | undefined, snapshot: PollSnapshot, op: config_v1.Schema$Operation | undefined, metadata: config_v1.Schema$OperationMetadata): ProgressNews {
    const told = memory ?? { told: [] };
    if (operation.kind === 'delete') return { notices: [], events: [], memory: told };
    const operationName = operation.operationName;
    return progressNews({
      memory: told,
      previewed: this.previewedPlans.forOperation(operationName),
      targetName: snapshot.targetName,
      operationName: snapshot.operationName,
      now: snapshot.now,
      running: op ? op.done !== true : snapshot.outcome === undefined,
      step: snapshot.step,
      metadata: metadata.deploymentMetadata,
      revision: snapshot.revision,
      resources: snapshot.resources,
      ended: snapshot.outcome?.status,
      cancelAccepted: operationName !== undefined && this.acceptedCancels.has(operationName),
      cancelRequested: metadata.requestedCancellation === true,
    });
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
    // Added before the call: a cancel whose answer was lost may still have landed, and is ours.
    this.ownCancels.add(operationName);
    try {
      await this.call('operations.cancel', signal, (o) => this.im.projects.locations.operations.cancel({ name: operationName, requestBody: {} }, o));
    } catch (error) {
      const refusal = cancelRefusal(error, target.name);
      if (!refusal) throw error;
      // Refused: a cancel seen later is someone else's, and the machine keeps monitoring.
      this.ownCancels.delete(operationName);
      throw refusal;
    }
    // Accepted is only "requested": poll says how the apply really ends (liveProgress.ts).
    this.acceptedCancels.add(operationName);
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
    // Only the lock the consent named may be released (locks.ts consentedLockId).
    const agreedLock = { parent: parentName(this.where(target)), lockId: parseIncarnation(targetId)?.lockId };
    if (action === 'unlock') {
      if (!exists) throw new ProviderError('Conflict', `${target.name} no longer exists, so there is no lock to release; deploy again.`);
      const unlocking = (operationName?: string): RecoverResult => ({ operation: { operationName, targetId: name, startedAt, kind: 'unknown' } });
      // Already being released (this consent's first try, whose answer was lost, or anyone's):
      // follow that unlock to its end instead of refusing or sending another.
      if (deployment.lockState === 'UNLOCKING' && !LIVE_STATES.has(deployment.state ?? '')) return unlocking(this.locks.join(name));
      this.refuseIfLive(deployment, target.name);
      if (this.locks.sentBy(deploymentId, name)) {
        // This recovery's unlock already ended (its answer was lost): its outcome, not a change under it.
        if (deployment.lockState === 'UNLOCK_FAILED') throw new ProviderError('Conflict', unlockFailedReason(target.name, deployment.stateDetail), { providerCode: 'UNLOCK_FAILED' });
        if (!lockIsHeld(deployment.lockState)) return unlocking();
      }
      this.refuseIfNoLongerNeeded(deployment, action, target.name);
      const op = await this.locks.unlock(name, target.name, { ...agreedLock, action: 'unlock', recovery: deploymentId }, signal);
      if (!op.done) return unlocking(op.name ?? undefined);
      // Ended at once: its answer says how. A failed unlock is a done operation saying UNLOCK_FAILED.
      const outcome = lockChangeOutcome(op, target.name);
      if (outcome?.status === 'failed') throw new ProviderError('Conflict', outcome.reason ?? unlockFailedReason(target.name), { providerCode: outcome.providerStatus });
      if (outcome?.status === 'unknown') this.locks.join(name);
      return unlocking();
    }

    // The same recovery of the same deployment is the same request, so a retry after a lost
    // response gets the first attempt's operation instead of a "being deleted" refusal. The
    // createTime tells a deployment recreated later in this run from the one deleted before. The
    // build of a delete that failed makes deleting it again a new request: under the old ID the
    // service would answer the failed operation and do nothing.
    const failedDeleteBuild = deployment && isFailedDelete(deployment) && deployment.deleteBuild ? [deployment.deleteBuild] : [];
    const token = requestId(deploymentId, 'delete', name, deployment?.createTime ?? '', ...failedDeleteBuild);
    // Without an operation name poll follows the deployment itself until it is gone.
    const deletion = (operationName?: string): RecoverResult => ({ operation: { token, operationName, targetId: name, startedAt, kind: 'delete' } });
    if (!exists) return deletion();
    if (deployment.state !== 'DELETING') {
      // An unlock under way (this consent's own, or anyone's) is waited for: the delete follows it.
      if (deployment.lockState === 'UNLOCKING' && !LIVE_STATES.has(deployment.state ?? '')) throw stillReleasing(target.name);
      this.refuseIfLive(deployment, target.name);
      const released = this.releasedLocks.has(token);
      if (released && deployment.lockState === 'UNLOCK_FAILED') {
        throw new ProviderError('Conflict', `${unlockFailedReason(target.name, deployment.stateDetail)} ${target.name} was not deleted.`, { providerCode: 'UNLOCK_FAILED' });
      }
      // A retry after this recovery released the lock itself finds the deployment no longer
      // stuck: that is this consent's own doing, not a change under it.
      if (!released) this.refuseIfNoLongerNeeded(deployment, action, target.name);
      // IM refuses to delete a locked deployment: the lock is released first, as the consent said,
      // and only when the consent named this very lock (a lock taken since is someone's, not ours to release).
      if (lockIsHeld(deployment.lockState)) {
        const unlocking = await this.locks.unlock(name, target.name, { ...agreedLock, action: 'delete' }, signal);
        this.releasedLocks.add(token);
        const outcome = lockChangeOutcome(unlocking, target.name);
        if (outcome?.status === 'failed') throw new ProviderError('Conflict', `${outcome.reason ?? unlockFailedReason(target.name)} ${target.name} was not deleted.`, { providerCode: outcome.providerStatus });
        // Still releasing (an unlock validates the state first, which can take minutes): the
        // machine asks again, and each try waits for the unlock before deleting.
        if (outcome?.status !== 'succeeded') throw stillReleasing(target.name);
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
    const recovery = deploymentMeaning(deployment.state ?? undefined, deployment.lockState ?? undefined, deployment.errorCode ?? undefined).recovery;
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

  /** Delete previews by location; each remembers the operations it started, to cancel them. */
  private readonly deletePreviews = new Map<string, DeletePreviews>();

  private deletePreviewsAt(target: { region?: string }): DeletePreviews {
    const where = this.where(target);
    const key = parentName(where);
    let previews = this.deletePreviews.get(key);
    if (!previews) {
      previews = new DeletePreviews({ caller: this.caller, im: this.im, where, serviceAccount: this.settings.serviceAccount, waitMs: this.deps.previewWaitMs });
      this.deletePreviews.set(key, previews);
    }
    return previews;
  }

  /** What Delete and recreate destroys, for the consent: a delete preview's plan, or the recorded state until then (deletePreview.ts). */
  async describeRecovery({ target, deploymentId, signal }: DescribeRecoveryRequest): Promise<DescribeRecoveryResult> {
    return this.deletePreviewsAt(target).describe(target.name, deploymentId, signal);
  }

  /** Removes the delete preview describeRecovery started (cancelling it if it still plans). */
  async discardRecoveryPlan({ target, deploymentId, signal }: DiscardRecoveryPlanRequest): Promise<void> {
    await this.deletePreviewsAt(target).discard(deploymentId, signal);
  }

  /**
   * The preview's Terraform plan as Infrastructure Manager exports it (JSON form, masked). A
   * preview does not change once planned, so the plan read at review time is served as is; that
   * also covers the time after the apply, when the service has deleted the preview.
   */
  async template({ target, stagedId, signal }: TemplateRequest): Promise<string> {
    const ref = decodeStagedId(stagedId);
    const kept = this.reviewedPlans.recall(ref.preview);
    if (kept) return kept;
    try {
      const preview = await this.getPreview(ref.preview, signal);
      if (preview) {
        const plan = await exportedPlan({ caller: this.caller, im: this.im }, ref.preview, await this.maskingFacts(ref, preview), signal);
        this.reviewedPlans.remember(ref.preview, plan);
        return plan;
      }
    } catch (error) {
      // Deleted between the reads: the same as gone.
      if (!(error instanceof ProviderError && error.code === 'NotFound')) throw error;
    }
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

/** A force delete waits for the lock's release: retryable, so the machine backs off and asks again. */
function stillReleasing(deploymentId: string): ProviderError {
  return new ProviderError('Transient', `The Terraform lock on ${deploymentId} is still being released (Infrastructure Manager validates the state first); it is deleted once the lock is released.`, {
    providerCode: 'UNLOCKING',
  });
}

/** Annotations on our previews: whether the plan is a create, and the revision it was planned against. */
const CREATE_ANNOTATION = 'stackwatch.dev/create';
const BASE_REVISION_ANNOTATION = 'stackwatch.dev/base-revision';

/** The deployment a plan was made against: absent (a create) or at revision `rev`. */
interface PlannedBase {
  create: boolean;
  rev?: string;
}

/**
 * What a plan applies, as one value, so "no resource changes" can be told from "same blueprint and
 * inputs". None when an input is sensitive: a hash of a short secret in an annotation can be guessed back.
 */
function blueprintDigest(zip: Uint8Array, inputValues: Record<string, unknown>, variables: readonly BlueprintVariable[]): string | undefined {
  if (variables.some((v) => v.sensitive && v.name in inputValues)) return undefined;
  const inputs = JSON.stringify(Object.keys(inputValues).sort().map((k) => [k, inputValues[k]]));
  return createHash('sha256').update(zip).update('\0').update(inputs).digest('hex');
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
      ? `it was planned against revision ${lastPart(planned.rev, '(none)')}, and ${deploymentId} has been deleted since`
      : `it was planned against revision ${lastPart(planned.rev, '(none)')}, and ${deploymentId} is at ${lastPart(now.rev, '(none)')} now`;
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
  if (!ref.create && now !== ref.rev) return `${deploymentId} moved from revision ${lastPart(ref.rev, '(none)')} to ${lastPart(now, '(none)')} after the preview was planned.`;
  return undefined;
}

/** Why the preview is gone after this deployment applied it: the service deletes an update's preview, and the clean-up a create's. */
function appliedReason(ref: StagedRef, deploymentId: string): string {
  return `This preview was applied by this deployment (${ref.create ? `it created ${deploymentId}` : `it updated ${deploymentId}`}); the preview itself is removed once applied, so there is nothing left to review.`;
}

/** Why a preview is no longer there: the service removes it when its deployment changes. */
function goneReason(ref: StagedRef, deployment: config_v1.Schema$Deployment | undefined, deploymentId: string): string {
  const moved = movedReason(ref, deployment, deploymentId);
  return moved
    ? `superseded: ${moved} Infrastructure Manager deletes a deployment's previews when the deployment is updated or deleted, so the preview you reviewed is gone and nothing of it was applied.`
    : `The preview of ${deploymentId} was deleted outside this deployment before it was applied; nothing of it was applied.`;
}
