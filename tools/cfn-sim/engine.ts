/**
 * The CloudFormation API's semantics over the simulator's state: which call is legal in which
 * stack status, with which error, and what it starts. Time-based work is handed to operations.ts.
 */
import { randomUUID } from 'node:crypto';
import { checkCapabilities } from './capabilities';
import { computeChanges, isLive, type ResourceChange } from './diff';
import { stepSeconds } from './durations';
import { SimError, changeSetNotFound, invalidChangeSetStatus, tokenAlreadyExists, validationError } from './errors';
import { Resolver, sameValue, Unknown } from './intrinsics';
import type { ChangeSet, Deployment, SimResource, Stack, Tag } from './model';
import { stackEvent } from './events';
import { keepsFailures, NO_CHANGE_SET_OPTIONS, type ChangeSetOptions } from './deploymentConfig';
import { recordValidationEvents, reviewChangeSet } from './earlyValidation';
import { cancelUpdate, continueRollback, rollbackFailedStack, startDelete, startExecution } from './operations';
import { preflightFailure } from './preflight';
import { resolveParameterValues, type ParameterInput } from './parameters';
import { attributeValue } from './resourceTypes';
import { Scheduler } from './scheduler';
import { NESTED_STACK_TYPE, type OperationContext } from './steps';
import { driftAwareChanges } from './drift';
import { maskNoEcho } from './masking';
import { nestedOutput, nestedSteps, type NestedHost } from './nested';
import { deleteNestedChangeSets, planNestedChangeSets } from './nestedChangeSets';
import type { SimSettings } from './settings';
import { parseTemplate } from './template';
import type { SimStackView } from './types';

export interface EngineOptions {
  region: string;
  accountId: string;
  /** Shared with the control API, which may change it while the simulator runs. */
  settings: SimSettings;
  /** Reads a TemplateURL (the simulator's S3, s3.ts); without it TemplateURL is refused. */
  templateSource?: (url: string) => string;
}

export const EMPTY_CHANGE_SET_REASON = "The submitted information didn't contain changes. Submit different information to create a change set.";
/** What CloudFormation says instead when the template has a transform (it cannot tell "same" before expanding). */
export const NO_UPDATES_REASON = 'No updates are to be performed.';
/** Another client's UpdateStack acknowledges whatever the template needs. */
const ALL_CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'];

const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
  'CREATE_FAILED',
  'UPDATE_FAILED',
]);
const NAME_PATTERN = /^[a-zA-Z][-a-zA-Z0-9]*$/;

export interface CreateChangeSetRequest {
  stackName: string;
  changeSetName: string;
  type: 'CREATE' | 'UPDATE';
  templateBody?: string;
  templateUrl?: string;
  usePreviousTemplate: boolean;
  parameters: ParameterInput[];
  capabilities: string[];
  tags?: Tag[];
  clientToken?: string;
  description?: string;
  includeNestedStacks?: boolean;
  deploymentMode?: 'REVERT_DRIFT';
  /** DeploymentConfig, OnStackFailure, ImportExistingResources, DisableValidation (deploymentConfig.ts). */
  options?: ChangeSetOptions;
}

export class Engine {
  private stacks: Stack[] = [];
  readonly scheduler = new Scheduler();
  private readonly ctx: OperationContext;

  constructor(
    readonly options: EngineOptions,
    private readonly clock: () => number,
  ) {
    this.ctx = {
      scheduler: this.scheduler,
      region: options.region,
      accountId: options.accountId,
      resolver: (stack, deployment) => this.resolver(stack, deployment),
      seconds: (stack, resource, kind, knobs) =>
        stepSeconds({ mode: options.settings.durations, seed: options.settings.durationSeed, jitter: options.settings.durationJitter }, knobs, {
          stackName: stack.name,
          logicalId: resource.logicalId,
          type: resource.type,
          kind,
          ordinal: stack.events.length,
          resourceStep: stack.events.filter((e) => e.logicalId === resource.logicalId).length,
        }),
    };
    this.ctx.nested = nestedSteps(this.nestedHost());
  }

  private nestedHost(): NestedHost {
    return {
      ctx: this.ctx,
      region: this.options.region,
      accountId: this.options.accountId,
      newStack: (name, at) => this.newStack(name, at),
      findStack: (nameOrId) => this.findStack(nameOrId),
      fetchTemplate: (url) => this.fetchTemplate(url),
      resolver: (stack, deployment, unknown) => this.resolver(stack, deployment, unknown),
      scheduleChangeSet: (stack, changeSet, at) => this.scheduleChangeSet(stack, changeSet, at),
      reviewNested: (child, nested, options) => {
        const review = reviewChangeSet({
          changes: nested.changes,
          deployment: nested.deployment,
          stack: child,
          allStacks: this.stacks,
          existing: this.settings.existingResources,
          options: options ?? NO_CHANGE_SET_OPTIONS,
          resolverFor: (unknown) => this.resolver(child, nested.deployment, unknown),
        });
        nested.changes = review.changes;
        nested.validation = review.validation;
        nested.failure = review.failure;
        nested.options = options;
        nested.operationId = randomUUID();
      },
    };
  }

  /** The template a TemplateURL names, or CloudFormation's refusal. */
  fetchTemplate(url: string): string {
    if (!this.options.templateSource) throw validationError('TemplateURL must be a supported URL.');
    return this.options.templateSource(url);
  }

  get settings(): SimSettings {
    return this.options.settings;
  }

  now(): number {
    return this.clock();
  }

  /** Fires everything due by now. Called on every request, so no background timers are needed. */
  sync(): number {
    const now = this.now();
    this.scheduler.runUntil(now);
    return now;
  }

  reset(): void {
    this.stacks = [];
    this.scheduler.clear();
  }

  // ---------- lookups ----------

  /** A name finds the live stack; an ARN finds any stack, deleted ones included. */
  findStack(nameOrId: string): Stack | undefined {
    if (nameOrId.startsWith('arn:')) return this.stacks.find((s) => s.id === nameOrId);
    return this.stacks.find((s) => s.name === nameOrId && !s.deleted);
  }

  requireStack(nameOrId: string, style: 'id' | 'brackets' = 'id'): Stack {
    const stack = this.findStack(nameOrId);
    if (stack) return stack;
    throw validationError(style === 'id' ? `Stack with id ${nameOrId} does not exist` : `Stack [${nameOrId}] does not exist`);
  }

  liveStacks(): Stack[] {
    return this.stacks.filter((s) => !s.deleted);
  }

  findChangeSet(changeSetName: string, stackName: string | undefined): { stack: Stack; changeSet: ChangeSet } {
    if (changeSetName.startsWith('arn:')) {
      for (const stack of this.stacks) {
        const changeSet = stack.changeSets.find((c) => c.id === changeSetName);
        if (changeSet) return { stack, changeSet };
      }
      throw changeSetNotFound(changeSetName);
    }
    if (stackName === undefined) throw validationError('StackName must be specified if ChangeSetName is not specified as an ARN.');
    const stack = this.requireStack(stackName, 'brackets');
    const changeSet = stack.changeSets.find((c) => c.name === changeSetName);
    if (!changeSet) throw changeSetNotFound(changeSetName);
    return { stack, changeSet };
  }

  // ---------- change sets ----------

  createChangeSet(req: CreateChangeSetRequest): { id: string; stackId: string } {
    checkName(req.stackName, 'stackName');
    checkName(req.changeSetName, 'changeSetName');
    const at = this.sync();
    let stack = this.findStack(req.stackName);
    if (req.type === 'CREATE') {
      if (stack && stack.status !== 'REVIEW_IN_PROGRESS') {
        throw validationError(`Stack [${stack.name}] already exists and cannot be created again with the changeSet [${req.changeSetName}].`);
      }
    } else {
      if (!stack) throw validationError(`Stack [${req.stackName}] does not exist`);
      if (!UPDATABLE.has(stack.status)) throw validationError(`Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
    }

    if (stack && req.clientToken !== undefined) {
      const previous = stack.changeSets.find((c) => c.clientToken === req.clientToken);
      if (previous && previous.name === req.changeSetName) return { id: previous.id, stackId: stack.id };
      if (previous) throw tokenAlreadyExists(`Another change set with client token [${req.clientToken}] already exists: ${previous.name}`);
    }
    if (stack?.changeSets.some((c) => c.name === req.changeSetName)) {
      throw new SimError('AlreadyExistsException', `ChangeSet [${req.changeSetName}] already exists`);
    }

    const body = this.templateBodyFor(req, stack);
    const template = parseTemplate(body);
    checkCapabilities(template, req.capabilities);
    const params = resolveParameterValues(template, req.parameters, stack?.deployment?.params);
    const deployment: Deployment = { template, params, capabilities: req.capabilities, tags: req.tags ?? stack?.deployment?.tags ?? [] };

    if (!stack) {
      stack = this.newStack(req.stackName, at);
      stackEvent(stack, 'REVIEW_IN_PROGRESS', 'User Initiated', at);
    }
    const current = stack.deployment ? { deployment: stack.deployment, resources: stack.resources } : undefined;
    const target = stack;
    let changes: ResourceChange[] = [];
    let failure: string | undefined;
    try {
      const diffInput = {
        type: req.type,
        current,
        next: deployment,
        resolverFor: (unknown: ReadonlySet<string>) => this.resolver(target, deployment, unknown),
      };
      changes = req.deploymentMode === 'REVERT_DRIFT' ? driftAwareChanges(diffInput, target) : computeChanges(diffInput);
      maskNoEcho(changes, template, current?.deployment.template);
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      failure = e.message;
    }
    if (failure === undefined && req.type === 'UPDATE' && changes.length === 0 && isSameDeployment(stack.deployment, deployment))
      failure = this.nothingToDo(template.transforms);
    const options = req.options ?? NO_CHANGE_SET_OPTIONS;
    const early =
      failure === undefined
        ? reviewChangeSet({
            changes,
            deployment,
            stack: target,
            allStacks: this.stacks,
            existing: this.settings.existingResources,
            options,
            resolverFor: (unknown) => this.resolver(target, deployment, unknown),
          })
        : undefined;
    if (early) ({ changes, failure } = early);

    const changeSet: ChangeSet = {
      id: `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:changeSet/${req.changeSetName}/${randomUUID()}`,
      name: req.changeSetName,
      stackId: stack.id,
      stackName: stack.name,
      type: req.type,
      status: 'CREATE_PENDING',
      executionStatus: 'UNAVAILABLE',
      creationTime: at,
      description: req.description,
      deployment,
      parameterInputs: req.parameters,
      changes,
      failure,
      clientToken: req.clientToken,
      deploymentMode: req.deploymentMode,
      options,
      validation: early?.validation,
      operationId: randomUUID(),
    };
    stack.changeSets.push(changeSet);
    if (req.includeNestedStacks) planNestedChangeSets(this.nestedHost(), stack, changeSet, at);
    this.scheduleChangeSet(stack, changeSet, at);
    return { id: changeSet.id, stackId: stack.id };
  }

  /** The empty change set's reason; with a transform, CloudFormation's older wording, or a thrown error if so configured. */
  private nothingToDo(transforms: readonly string[]): string {
    if (transforms.length === 0) return EMPTY_CHANGE_SET_REASON;
    if (this.settings.noUpdatesWithTransform === 'error') throw validationError(NO_UPDATES_REASON);
    return NO_UPDATES_REASON;
  }

  private templateBodyFor(req: CreateChangeSetRequest, stack: Stack | undefined): string {
    if (req.usePreviousTemplate) {
      if (req.type !== 'UPDATE' || !stack?.deployment) throw validationError('UsePreviousTemplate can only be used with an existing stack.');
      return stack.deployment.template.body;
    }
    if (req.templateBody !== undefined) return req.templateBody;
    if (req.templateUrl !== undefined) return this.fetchTemplate(req.templateUrl);
    throw validationError('Either Template URL or Template Body must be specified.');
  }

  scheduleChangeSet(stack: Stack, changeSet: ChangeSet, at: number): void {
    const seconds = Math.max(0, this.settings.changeSetSeconds);
    const stillThere = (): boolean => stack.changeSets.includes(changeSet);
    this.scheduler.at(at + seconds * 250, () => {
      if (stillThere() && changeSet.status === 'CREATE_PENDING') changeSet.status = 'CREATE_IN_PROGRESS';
    });
    this.scheduler.at(at + seconds * 1000, (t) => {
      if (!stillThere()) return;
      recordValidationEvents(stack, changeSet, t);
      if (changeSet.failure !== undefined) {
        changeSet.status = 'FAILED';
        changeSet.statusReason = changeSet.failure;
      } else {
        changeSet.status = 'CREATE_COMPLETE';
        // An OBSOLETE verdict given while the change set was being computed stands.
        if (changeSet.executionStatus === 'UNAVAILABLE') changeSet.executionStatus = 'AVAILABLE';
      }
    });
  }

  executeChangeSet(changeSetName: string, stackName: string | undefined, token: string | undefined, disableRollback: boolean): void {
    const at = this.sync();
    const { stack, changeSet } = this.findChangeSet(changeSetName, stackName);
    if (this.alreadyDone(stack, token, `ExecuteChangeSet:${changeSet.id}`)) return;
    if (changeSet.parentChangeSetId !== undefined) {
      throw invalidChangeSetStatus(
        `ChangeSet [${changeSet.id}] is a nested change set: execute its root change set [${changeSet.rootChangeSetId ?? ''}] instead`,
      );
    }
    if (changeSet.status !== 'CREATE_COMPLETE') {
      throw invalidChangeSetStatus(`ChangeSet [${changeSet.id}] cannot be executed in its current status of [${changeSet.status}]`);
    }
    if (changeSet.executionStatus !== 'AVAILABLE') {
      throw invalidChangeSetStatus(`ChangeSet [${changeSet.id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`);
    }
    if (stack.status !== 'REVIEW_IN_PROGRESS' && !UPDATABLE.has(stack.status)) {
      throw validationError(`Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
    }
    const keepFailures = keepsFailures(changeSet, disableRollback);
    this.remember(stack, token, `ExecuteChangeSet:${changeSet.id}`);
    startExecution(this.ctx, stack, changeSet, { token, disableRollback: keepFailures, preflightFailure: this.preflight(stack, changeSet.deployment) }, at);
  }

  /** UpdateStack without a change set, as another client (console, CLI) does it. */
  updateStack(stackName: string, templateBody: string, parameters: ParameterInput[], token: string | undefined): void {
    const at = this.sync();
    const stack = this.requireStack(stackName, 'brackets');
    if (this.alreadyDone(stack, token, 'UpdateStack')) return;
    if (!UPDATABLE.has(stack.status)) throw validationError(`Stack:${stack.id} is in ${stack.status} state and can not be updated.`);
    const template = parseTemplate(templateBody);
    const given = new Set(parameters.map((p) => p.key));
    // Parameters not given keep their deployed values, as the console offers.
    const inputs = [
      ...parameters,
      ...template.parameters.filter((p) => !given.has(p.key) && stack.deployment?.params.has(p.key)).map((p) => ({ key: p.key, usePrevious: true })),
    ];
    const params = resolveParameterValues(template, inputs, stack.deployment?.params);
    const deployment: Deployment = { template, params, capabilities: ALL_CAPABILITIES, tags: stack.deployment?.tags ?? [] };
    const changes = computeChanges({
      type: 'UPDATE',
      current: stack.deployment ? { deployment: stack.deployment, resources: stack.resources } : undefined,
      next: deployment,
      resolverFor: (unknown) => this.resolver(stack, deployment, unknown),
    });
    if (changes.length === 0 && isSameDeployment(stack.deployment, deployment)) throw validationError(NO_UPDATES_REASON);
    const changeSet: ChangeSet = {
      id: `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:changeSet/UpdateStack-${randomUUID()}/${randomUUID()}`,
      name: 'UpdateStack',
      stackId: stack.id,
      stackName: stack.name,
      type: 'UPDATE',
      status: 'CREATE_COMPLETE',
      executionStatus: 'AVAILABLE',
      creationTime: at,
      deployment,
      parameterInputs: inputs,
      changes,
    };
    this.remember(stack, token, 'UpdateStack');
    startExecution(this.ctx, stack, changeSet, { token, disableRollback: false, preflightFailure: this.preflight(stack, deployment), direct: true }, at);
  }

  private preflight(stack: Stack, deployment: Deployment): string | undefined {
    return preflightFailure(deployment, {
      resolver: this.resolver(stack, deployment),
      exportExists: (name) => this.liveStacks().some((s) => s.outputs.some((o) => o.exportName === name)),
    });
  }

  deleteChangeSet(changeSetName: string, stackName: string | undefined): void {
    this.sync();
    // By name, the delete succeeds as long as the stack exists, even with no such change set: the
    // CDK deletes its fixed-name change set this way before every update.
    if (!changeSetName.startsWith('arn:') && stackName !== undefined) {
      const named = this.requireStack(stackName, 'brackets');
      if (!named.changeSets.some((c) => c.name === changeSetName)) return;
    }
    const { stack, changeSet } = this.findChangeSet(changeSetName, stackName);
    // CloudFormation refuses while it is still computing the change set (a recorded error: Sparta #45).
    if (changeSet.status === 'CREATE_PENDING' || changeSet.status === 'CREATE_IN_PROGRESS') {
      throw invalidChangeSetStatus(`Cannot delete ChangeSet in status ${changeSet.status}`);
    }
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw invalidChangeSetStatus(`Cannot delete ChangeSet [${changeSet.id}] while it is in ${changeSet.executionStatus} status`);
    }
    stack.changeSets = stack.changeSets.filter((c) => c !== changeSet);
    deleteNestedChangeSets(this.nestedHost(), changeSet);
  }

  // ---------- stack operations ----------

  deleteStack(stackName: string, token: string | undefined, force: boolean): void {
    const at = this.sync();
    const stack = this.findStack(stackName);
    // Deleting a stack that does not exist (or is gone already) succeeds silently.
    if (!stack || stack.deleted) return;
    if (this.alreadyDone(stack, token, 'DeleteStack')) return;
    if (stack.status === 'DELETE_IN_PROGRESS') return;
    if (force && stack.status !== 'DELETE_FAILED') {
      throw validationError(
        `Stack [${stack.name}] cannot be deleted with DeletionMode FORCE_DELETE_STACK while in status ${stack.status}. FORCE_DELETE_STACK is only allowed for stacks in DELETE_FAILED state.`,
      );
    }
    if (stack.status.endsWith('_IN_PROGRESS') && stack.status !== 'REVIEW_IN_PROGRESS') {
      throw validationError(`Stack [${stack.name}] cannot be deleted while in status ${stack.status}`);
    }
    this.remember(stack, token, 'DeleteStack');
    startDelete(this.ctx, stack, { token, force }, at);
  }

  cancelUpdateStack(stackName: string, token: string | undefined): void {
    const at = this.sync();
    const stack = this.requireStack(stackName, 'brackets');
    if (this.alreadyDone(stack, token, 'CancelUpdateStack')) return;
    if (stack.status !== 'UPDATE_IN_PROGRESS' || stack.operation?.stage !== 'forward') {
      throw validationError('CancelUpdateStack cannot be called from current stack status');
    }
    this.remember(stack, token, 'CancelUpdateStack');
    cancelUpdate(this.ctx, stack, token, at);
  }

  continueUpdateRollback(stackName: string, skip: string[], token: string | undefined): void {
    const at = this.sync();
    const stack = this.requireStack(stackName, 'brackets');
    if (this.alreadyDone(stack, token, 'ContinueUpdateRollback')) return;
    if (stack.status !== 'UPDATE_ROLLBACK_FAILED' || !stack.operation) {
      throw validationError('ContinueUpdateRollback cannot be called from current stack status');
    }
    const unknown = skip.filter((id) => !stack.resources.has(id));
    if (unknown.length > 0) throw validationError(`ResourcesToSkip [${unknown.join(', ')}] do not exist in the stack`);
    const notFailed = skip.filter((id) => !stack.operation!.toRevert.has(id));
    if (notFailed.length > 0) {
      throw validationError(`Resources [${notFailed.join(', ')}] cannot be skipped: only resources in UPDATE_FAILED state can be skipped`);
    }
    this.remember(stack, token, 'ContinueUpdateRollback');
    obsoleteChangeSets(stack);
    continueRollback(this.ctx, stack, skip, token, at);
  }

  rollbackStack(stackName: string, token: string | undefined): Stack {
    const at = this.sync();
    const stack = this.requireStack(stackName, 'brackets');
    if (this.alreadyDone(stack, token, 'RollbackStack')) return stack;
    if ((stack.status !== 'CREATE_FAILED' && stack.status !== 'UPDATE_FAILED') || !stack.operation) {
      throw validationError(`Stack:${stack.id} is in ${stack.status} state and can not be rolled back.`);
    }
    this.remember(stack, token, 'RollbackStack');
    obsoleteChangeSets(stack);
    rollbackFailedStack(this.ctx, stack, token, at);
    return stack;
  }

  /** A repeated ClientRequestToken: the same request again is a no-op, a different one an error. */
  private alreadyDone(stack: Stack, token: string | undefined, request: string): boolean {
    if (token === undefined) return false;
    const previous = stack.tokens.get(token);
    if (previous === undefined) return false;
    if (previous === request) return true;
    throw tokenAlreadyExists(`ClientRequestToken [${token}] was already used for a different request on stack [${stack.name}]`);
  }

  private remember(stack: Stack, token: string | undefined, request: string): void {
    if (token !== undefined) stack.tokens.set(token, request);
  }

  private newStack(name: string, at: number): Stack {
    const stack: Stack = {
      id: `arn:aws:cloudformation:${this.options.region}:${this.options.accountId}:stack/${name}/${randomUUID()}`,
      name,
      status: 'REVIEW_IN_PROGRESS',
      creationTime: at,
      deleted: false,
      resources: new Map(),
      outputs: [],
      events: [],
      changeSets: [],
      tokens: new Map(),
      lastOperations: [],
    };
    this.stacks.push(stack);
    return stack;
  }

  // ---------- resolution ----------

  resolver(stack: Pick<Stack, 'name' | 'id' | 'resources'>, deployment: Deployment, unknown: ReadonlySet<string> = new Set()): Resolver {
    const { region, accountId } = this.options;
    const live = (id: string): (SimResource & { physicalId: string }) | undefined => {
      const resource = stack.resources.get(id);
      if (!resource || resource.physicalId === undefined || !isLive(resource) || unknown.has(id)) return undefined;
      return { ...resource, physicalId: resource.physicalId };
    };
    return new Resolver({
      template: deployment.template,
      params: deployment.params,
      pseudo: { region, accountId, stackName: stack.name, stackId: stack.id },
      ref: (id) => live(id)?.physicalId ?? new Unknown(id),
      getAtt: (id, attribute) => {
        const resource = live(id);
        if (!resource) return new Unknown(id);
        if (resource.type === NESTED_STACK_TYPE && attribute.startsWith('Outputs.')) return nestedOutput(this.findStack(resource.physicalId), id, attribute);
        return attributeValue(
          { logicalId: id, type: resource.type, physicalId: resource.physicalId, properties: resource.properties, region, accountId },
          attribute,
        );
      },
      importValue: (name) => {
        for (const other of this.liveStacks()) {
          const output = other.outputs.find((o) => o.exportName === name);
          if (output) return output.value;
        }
        throw validationError(`No export named ${name} found`);
      },
    });
  }

  // ---------- views ----------

  allStacks(): readonly Stack[] {
    return this.stacks;
  }

  view(): SimStackView[] {
    return this.stacks.map((s) => ({
      name: s.name,
      id: s.id,
      status: s.status,
      statusReason: s.reason,
      deleted: s.deleted,
      creationTime: new Date(s.creationTime).toISOString(),
      lastUpdatedTime: s.lastUpdatedTime === undefined ? undefined : new Date(s.lastUpdatedTime).toISOString(),
      resources: [...s.resources.values()].map((r) => ({
        logicalId: r.logicalId,
        type: r.type,
        physicalId: r.physicalId,
        status: r.status,
        statusReason: r.reason,
      })),
      changeSets: s.changeSets.map((c) => ({ name: c.name, id: c.id, status: c.status, executionStatus: c.executionStatus, statusReason: c.statusReason })),
      outputs: s.outputs.map((o) => ({ ...o })),
    }));
  }
}

function checkName(value: string, member: string): void {
  if (value.startsWith('arn:') && member === 'stackName') return;
  if (!NAME_PATTERN.test(value) || value.length > 128) {
    throw validationError(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
}

/** Change sets computed against the stack as it was can no longer be executed once it changes. */
function obsoleteChangeSets(stack: Stack): void {
  for (const changeSet of stack.changeSets) {
    if (changeSet.executionStatus === 'AVAILABLE' || changeSet.executionStatus === 'UNAVAILABLE') changeSet.executionStatus = 'OBSOLETE';
  }
}

function isSameDeployment(current: Deployment | undefined, next: Deployment): boolean {
  if (!current) return false;
  return (
    sameValue(current.template.raw, next.template.raw) &&
    sameValue(Object.fromEntries(current.params), Object.fromEntries(next.params)) &&
    sameValue(current.tags, next.tags)
  );
}
