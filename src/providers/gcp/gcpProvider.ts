/**
 * The Infrastructure Manager provider: the port's calls in terms of a zipped blueprint in
 * Cloud Storage, previews, deployments, revisions and long-running operations. Every request
 * carries the caller's AbortSignal, and every error leaves here as a coded ProviderError.
 *
 * Only the config v1 module of googleapis is imported: the whole package is 14 MB and would be
 * bundled into the extension. Cloud Storage is two plain authorized requests (stagingObject.ts).
 * Every request goes through GcpCaller (calls.ts): one try, a deadline, a readable answer.
 *
 * This class only holds what one window shares (context.ts); each call is a module's:
 * targetState, stagedBlueprint, staging, review, savedPlan, execution, stagedCleanup, applyPoll,
 * recoveryOps, deletePreview and outputs.
 */
import { GoogleAuth, type OAuth2Client } from 'google-auth-library';
import { config_v1 } from 'googleapis/build/src/apis/config';
import {
  ProviderError,
  type AbortStagedRequest,
  type AbortStagedResult,
  type DescribeRecoveryRequest,
  type DescribeRecoveryResult,
  type DescribeStagedRequest,
  type DescribeStagedResult,
  type DescribeTargetRequest,
  type DescribeTargetResult,
  type DiscardRecoveryPlanRequest,
  type ExecuteRequest,
  type ExecuteResult,
  type FindExecutionRequest,
  type FindExecutionResult,
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
} from '../provider';
import { pollApply, stopApply } from './applyPoll';
import { DEFAULT_CALL_TIMEOUT_MS, DEFAULT_UPLOAD_TIMEOUT_MS, GcpCaller } from './calls';
import { WindowMemory, where, type GcpContext, type GcpProviderDeps } from './context';
import { DeletePreviews } from './deletePreview';
import { executeStaged, findExecution } from './execution';
import { describeAdcIdentity, describeInjectedIdentity, type GcpIdentity } from './identity';
import { DeploymentLocks } from './locks';
import { adcRefusal, isLoopbackEndpoint } from './loopback';
import { parentName } from './names';
import { stackOutputs } from './outputs';
import { recoverTarget } from './recoveryOps';
import { reviewStaged } from './review';
import { savedPlan } from './savedPlan';
import type { GcpProviderSettings } from './settings';
import { abortStaged } from './stagedCleanup';
import { stagePreview } from './staging';
import { StagingObjects } from './stagingObject';
import { describeTargetState } from './targetState';

export { isLoopbackEndpoint, type GcpProviderDeps };

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

export class GcpProvider implements Provider {
  readonly kind = 'gcp' as const;
  private readonly auth: GoogleAuth | OAuth2Client;
  /** Set when ADC must not be used for rootUrl; every call throws this instead of sending a token. */
  private readonly adcRefusal?: () => ProviderError;
  private readonly ctx: GcpContext;
  /** Delete previews by location; each remembers the operations it started, to cancel them. */
  private readonly deletePreviews = new Map<string, DeletePreviews>();

  constructor(
    private readonly settings: GcpProviderSettings,
    private readonly deps: GcpProviderDeps = {},
  ) {
    const rootUrl = deps.rootUrl ?? (settings.endpoint || undefined);
    if (rootUrl && !deps.authClient && !isLoopbackEndpoint(rootUrl)) this.adcRefusal = () => adcRefusal(rootUrl);
    this.auth = deps.authClient ?? new GoogleAuth({ scopes: SCOPES });
    const im = new config_v1.Config({ auth: this.auth, ...(rootUrl ? { rootUrl } : {}) });
    const caller = new GcpCaller({ rootUrl, project: settings.project, timeoutMs: deps.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, refusal: this.adcRefusal });
    this.ctx = {
      settings,
      deps,
      caller,
      im,
      objects: new StagingObjects(caller, this.auth, deps.uploadTimeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS),
      locks: new DeploymentLocks(caller, im),
      memory: new WindowMemory(),
    };
  }

  dispose(): void {
    // The googleapis clients have no close(); only our own per-operation memory is released.
    this.ctx.memory.clear();
    this.ctx.locks.clear();
  }

  async describeIdentity(signal: AbortSignal): Promise<GcpIdentity> {
    if (this.adcRefusal) throw this.adcRefusal();
    if (this.deps.authClient) return describeInjectedIdentity(this.deps.authClient, this.settings.project);
    return describeAdcIdentity(this.auth as GoogleAuth, this.settings.project, signal);
  }

  describeTarget(req: DescribeTargetRequest): Promise<DescribeTargetResult> {
    return describeTargetState(this.ctx, req);
  }

  stage(req: StageRequest): Promise<StageResult> {
    return stagePreview(this.ctx, req);
  }

  describeStaged(req: DescribeStagedRequest): Promise<DescribeStagedResult> {
    return reviewStaged(this.ctx, req);
  }

  execute(req: ExecuteRequest): Promise<ExecuteResult> {
    return executeStaged(this.ctx, req);
  }

  findExecution(req: FindExecutionRequest): Promise<FindExecutionResult> {
    return findExecution(this.ctx, req);
  }

  abortStaged(req: AbortStagedRequest): Promise<AbortStagedResult> {
    return abortStaged(this.ctx, req);
  }

  poll(req: PollRequest): Promise<PollResult> {
    return pollApply(this.ctx, req);
  }

  stop(req: StopRequest): Promise<StopResult> {
    return stopApply(this.ctx, req);
  }

  recover(req: RecoverRequest): Promise<RecoverResult> {
    return recoverTarget(this.ctx, req);
  }

  outputs(req: OutputsRequest): Promise<StackOutput[]> {
    return stackOutputs(this.ctx, req);
  }

  /** What Delete and recreate destroys, for the consent: a delete preview's plan, or the recorded state until then (deletePreview.ts). */
  async describeRecovery({ target, deploymentId, signal }: DescribeRecoveryRequest): Promise<DescribeRecoveryResult> {
    return this.deletePreviewsAt(target).describe(target.name, deploymentId, signal);
  }

  /** Removes the delete preview describeRecovery started (cancelling it if it still plans). */
  async discardRecoveryPlan({ target, deploymentId, signal }: DiscardRecoveryPlanRequest): Promise<void> {
    await this.deletePreviewsAt(target).discard(deploymentId, signal);
  }

  /** The preview's Terraform plan, as Save Plan writes it (savedPlan.ts). */
  template(req: TemplateRequest): Promise<string> {
    return savedPlan(this.ctx, req);
  }

  private deletePreviewsAt(target: { region?: string }): DeletePreviews {
    const at = where(this.ctx, target);
    const key = parentName(at);
    let previews = this.deletePreviews.get(key);
    if (!previews) {
      previews = new DeletePreviews({
        caller: this.ctx.caller,
        im: this.ctx.im,
        where: at,
        serviceAccount: this.settings.serviceAccount,
        waitMs: this.deps.previewWaitMs,
      });
      this.deletePreviews.set(key, previews);
    }
    return previews;
  }
}
