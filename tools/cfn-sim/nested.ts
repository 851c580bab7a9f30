/**
 * Nested stacks: an `AWS::CloudFormation::Stack` resource whose TemplateURL names an object in the
 * simulator's S3 (s3.ts). Its steps run a real child stack (`<parent>-<LogicalId>-<12 upper alnum>`,
 * ParentId/RootId set) with its own events, operations and resources; the parent's step ends when
 * the child's operation does, with CloudFormation's "Embedded stack … was not successfully …"
 * wording when it failed. The child's events stay in the child's DescribeStackEvents.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { computeChanges } from './diff';
import { validationError } from './errors';
import { stackEvent } from './events';
import { sameValue, Unknown, type Resolved, type Resolver } from './intrinsics';
import type { ChangeSet, Deployment, Operation, SimResource, Stack } from './model';
import { maskNoEcho } from './masking';
import { cancelNestedCreate, cancelUpdate, rollbackFailedStack, startDelete, startExecution } from './operations';
import { resolveParameterValues } from './parameters';
import type { StepSpec } from './phase';
import type { OperationContext } from './steps';
import { parseTemplate, type ResourceDecl } from './template';

/** What nested stacks need from the engine. */
export interface NestedHost {
  ctx: OperationContext;
  region: string;
  accountId: string;
  newStack(name: string, at: number): Stack;
  findStack(nameOrId: string): Stack | undefined;
  fetchTemplate(url: string): string;
  resolver(stack: Stack, deployment: Deployment, unknown?: ReadonlySet<string>): Resolver;
  scheduleChangeSet(stack: Stack, changeSet: ChangeSet, at: number): void;
  /** Early validation of a nested change set, as its root's (the root's options): its findings, and its failure when one fails. */
  reviewNested(child: Stack, nested: ChangeSet, options: ChangeSet['options']): void;
}

export interface NestedSteps {
  create(stack: Stack, op: Operation, decl: ResourceDecl, base: StepSpec): StepSpec;
  update(stack: Stack, op: Operation, decl: ResourceDecl, base: StepSpec): StepSpec;
  delete(stack: Stack, op: Operation, resource: SimResource, base: StepSpec): StepSpec;
  /** The parent's update rolls back: a nested stack its update had completed rolls back too. */
  revert(stack: Stack, op: Operation, base: StepSpec): StepSpec;
}

const KNOWN_AFTER_APPLY = '{{changeSet:KNOWN_AFTER_APPLY}}';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const UPDATABLE = /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE)$/;

export function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** What the child stack is deployed from: the TemplateURL's object and the Parameters property. */
export function childDeployment(host: NestedHost, parent: Deployment, properties: Record<string, Resolved>): Deployment {
  const url = properties['TemplateURL'];
  if (typeof url !== 'string') throw validationError('Template format error: TemplateURL of AWS::CloudFormation::Stack must be a string');
  const template = parseTemplate(host.fetchTemplate(url));
  const given = properties['Parameters'];
  const inputs = Object.entries(isObject(given) ? given : {}).map(([key, value]) => ({ key, value: parameterText(value), usePrevious: false }));
  const params = resolveParameterValues(template, inputs);
  return { template, params, capabilities: parent.capabilities, tags: parent.tags };
}

export function newChildStack(host: NestedHost, parent: Stack, logicalId: string, at: number): Stack {
  const suffix = Array.from({ length: 12 }, () => UPPER_ALNUM[randomInt(UPPER_ALNUM.length)]).join('');
  const child = host.newStack(`${parent.name}-${logicalId}-${suffix}`.slice(0, 128), at);
  child.parentId = parent.id;
  child.rootId = parent.rootId ?? parent.id;
  return child;
}

export function childChangeSet(host: NestedHost, child: Stack, type: 'CREATE' | 'UPDATE', deployment: Deployment, at: number, name?: string): ChangeSet {
  const changeSetName = name ?? `${child.name}-${type}`;
  return {
    id: `arn:aws:cloudformation:${host.region}:${host.accountId}:changeSet/${changeSetName}/${randomUUID()}`,
    name: changeSetName,
    stackId: child.id,
    stackName: child.name,
    type,
    status: 'CREATE_COMPLETE',
    executionStatus: 'AVAILABLE',
    creationTime: at,
    deployment,
    parameterInputs: [],
    changes: childChanges(host, child, type, deployment),
  };
}

function childChanges(host: NestedHost, child: Stack, type: 'CREATE' | 'UPDATE', deployment: Deployment): ChangeSet['changes'] {
  const changes = computeChanges({
    type,
    current: child.deployment ? { deployment: child.deployment, resources: child.resources } : undefined,
    next: deployment,
    resolverFor: (unknown) => host.resolver(child, deployment, unknown),
  });
  maskNoEcho(changes, deployment.template, child.deployment?.template);
  return changes;
}

export function nestedSteps(host: NestedHost): NestedSteps {
  const later = (at: number, run: (t: number) => void): void => host.ctx.scheduler.at(at, run);
  const childOf = (stack: Stack, logicalId: string): Stack | undefined => {
    const physicalId = stack.resources.get(logicalId)?.physicalId;
    return physicalId === undefined ? undefined : host.findStack(physicalId);
  };
  /** The update each nested stack last completed for its parent, kept so the parent's rollback can undo it. */
  const completedUpdates = new Map<string, Operation>();
  /** The nested change set IncludeNestedStacks planned for this resource, brought up to the values known now. */
  const planned = (op: Operation, logicalId: string, deployment: Deployment): ChangeSet | undefined => {
    const changeSet = op.changeSet?.nested?.get(logicalId);
    const child = changeSet === undefined ? undefined : host.findStack(changeSet.stackId);
    if (!changeSet || !child || changeSet.executionStatus !== 'AVAILABLE') return undefined;
    changeSet.deployment = deployment;
    changeSet.changes = childChanges(host, child, changeSet.type, deployment);
    return changeSet;
  };

  return {
    create: (stack, op, decl, base) => ({
      ...base,
      hooks: {
        ...base.hooks,
        initiated: undefined,
        // The parent's create failed elsewhere: the nested stack's create is cancelled with it.
        cancel: (at) => {
          base.hooks.cancel(at);
          const child = childOf(stack, decl.logicalId);
          if (child) cancelNestedCreate(host.ctx, child, at);
        },
      },
      awaits: (at, settle) => {
        const resource = stack.resources.get(decl.logicalId)!;
        let child: Stack;
        let changeSet: ChangeSet;
        let fromPlan: boolean;
        try {
          const deployment = childDeployment(host, op.target, resource.properties);
          const plannedSet = planned(op, decl.logicalId, deployment);
          fromPlan = plannedSet !== undefined;
          child = plannedSet ? host.findStack(plannedSet.stackId)! : newChildStack(host, stack, decl.logicalId, at);
          changeSet = plannedSet ?? childChangeSet(host, child, 'CREATE', deployment, at);
        } catch (e) {
          later(at, (t) => settle(messageOf(e), t));
          return;
        }
        resource.physicalId = child.id;
        base.hooks.initiated?.(at);
        let reason: string | undefined;
        child.statusListener = (status, why, t) => {
          if (status === 'ROLLBACK_IN_PROGRESS' || status === 'CREATE_FAILED') reason ??= why?.replace(/Rollback requested by user\.$/, '').trim();
          if (status === 'CREATE_COMPLETE') later(t, (u) => settle(base.fail, u));
          else if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status === 'CREATE_FAILED')
            later(t, (u) => settle(`Embedded stack ${child.id} was not successfully created: ${reason ?? why ?? status}`, u));
        };
        startExecution(host.ctx, child, changeSet, { token: op.token, disableRollback: op.disableRollback, direct: !fromPlan }, at);
      },
    }),

    update: (stack, op, decl, base) => ({
      ...base,
      hooks: {
        ...base.hooks,
        cancel: (at) => {
          base.hooks.cancel(at);
          const child = childOf(stack, decl.logicalId);
          if (child?.status === 'UPDATE_IN_PROGRESS' && child.operation?.stage === 'forward') cancelUpdate(host.ctx, child, op.token, at);
        },
      },
      awaits: (at, settle) => {
        const resource = stack.resources.get(decl.logicalId)!;
        const child = resource.physicalId === undefined ? undefined : host.findStack(resource.physicalId);
        let changeSet: ChangeSet;
        let fromPlan: boolean;
        try {
          if (!child || child.deleted) throw validationError(`Embedded stack ${resource.physicalId ?? decl.logicalId} does not exist`);
          if (!UPDATABLE.test(child.status)) throw validationError(`Embedded stack ${child.id} is in ${child.status} state and can not be updated.`);
          const deployment = childDeployment(host, op.target, host.resolver(stack, op.target).resolveProperties(decl.properties));
          const plannedSet = planned(op, decl.logicalId, deployment);
          fromPlan = plannedSet !== undefined;
          changeSet = plannedSet ?? childChangeSet(host, child, 'UPDATE', deployment, at);
        } catch (e) {
          later(at, (t) => settle(messageOf(e), t));
          return;
        }
        completedUpdates.delete(child.id);
        if (changeSet.changes.length === 0 && sameDeployment(child.deployment, changeSet.deployment)) {
          // Nothing to do in the nested stack: CloudFormation only touches the resource.
          if (fromPlan) changeSet.executionStatus = 'EXECUTE_COMPLETE';
          later(at + Math.max(0, base.seconds) * 1000, (t) => settle(base.fail, t));
          return;
        }
        let reason: string | undefined;
        child.statusListener = (status, why, t) => {
          if (status === 'UPDATE_ROLLBACK_IN_PROGRESS' || status === 'UPDATE_FAILED') reason ??= why?.trim();
          if (status === 'UPDATE_COMPLETE') later(t, (u) => settle(base.fail, u));
          // The operation is still on the stack while its last event is written.
          if (status === 'UPDATE_COMPLETE' && child.operation) completedUpdates.set(child.id, child.operation);
          else if (status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'UPDATE_ROLLBACK_FAILED' || status === 'UPDATE_FAILED') {
            const state = status === 'UPDATE_FAILED' ? 'UPDATE_FAILED' : 'UPDATE_ROLLBACK_IN_PROGRESS';
            later(t, (u) =>
              settle(`Embedded stack ${child.id} was not successfully updated. Currently in ${state} with reason: ${reason ?? why ?? status}`, u),
            );
          }
        };
        startExecution(host.ctx, child, changeSet, { token: op.token, disableRollback: op.disableRollback, direct: !fromPlan }, at);
      },
    }),

    revert: (stack, op, base) => ({
      ...base,
      awaits: (at, settle) => {
        const physicalId = stack.resources.get(base.id)?.physicalId;
        const child = physicalId === undefined ? undefined : host.findStack(physicalId);
        const run = (t: number): void => {
          const childOp = child === undefined ? undefined : completedUpdates.get(child.id);
          // A nested stack whose own update failed has rolled itself back already.
          if (!child || !childOp || child.status !== 'UPDATE_COMPLETE') {
            later(t, (u) => settle(base.fail, u));
            return;
          }
          completedUpdates.delete(child.id);
          child.operation = childOp;
          child.statusListener = (status, why, u) => {
            if (status === 'UPDATE_ROLLBACK_COMPLETE') later(u, (v) => settle(base.fail, v));
            else if (status === 'UPDATE_ROLLBACK_FAILED')
              later(u, (v) =>
                settle(`Embedded stack ${child.id} was not successfully updated. Currently in UPDATE_ROLLBACK_FAILED with reason: ${(why ?? '').trim()}`, v),
              );
          };
          rollbackFailedStack(host.ctx, child, op.token, t);
        };
        if (child && isBusy(child.status))
          child.statusListener = (status, _why, t) => {
            if (!isBusy(status)) later(t, run);
          };
        else run(at);
      },
    }),

    delete: (_stack, op, resource, base) => ({
      ...base,
      awaits: (at, settle) => {
        const child = resource.physicalId === undefined ? undefined : host.findStack(resource.physicalId);
        if (!child || child.deleted) {
          later(at, (t) => settle(base.fail, t));
          return;
        }
        const start = (t: number): void => {
          child.statusListener = (status, why, u) => {
            if (status === 'DELETE_COMPLETE') later(u, (v) => settle(base.fail, v));
            else if (status === 'DELETE_FAILED') later(u, (v) => settle(`Embedded stack ${child.id} was not successfully deleted: ${(why ?? '').trim()}`, v));
          };
          startDelete(host.ctx, child, { token: op.token, force: false }, t);
        };
        // A nested stack still rolling itself back is deleted once it has settled.
        if (!isBusy(child.status)) start(at);
        else
          child.statusListener = (status, _why, t) => {
            if (!isBusy(status)) later(t, start);
          };
      },
    }),
  };
}

export function sameDeployment(current: Deployment | undefined, next: Deployment): boolean {
  return (
    current !== undefined &&
    sameValue(current.template.raw, next.template.raw) &&
    sameValue(Object.fromEntries(current.params), Object.fromEntries(next.params))
  );
}

/** The child's REVIEW_IN_PROGRESS event when IncludeNestedStacks makes it before anything runs. */
export function reviewEvent(child: Stack, at: number): void {
  stackEvent(child, 'REVIEW_IN_PROGRESS', 'User Initiated', at);
}

function parameterText(value: Resolved): string {
  if (value instanceof Unknown) return KNOWN_AFTER_APPLY;
  if (Array.isArray(value)) return value.map(parameterText).join(',');
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function isObject(value: Resolved | undefined): value is { [key: string]: Resolved } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `Fn::GetAtt [Child, Outputs.Name]`: the nested stack's output, unknown until it has one. */
export function nestedOutput(child: Stack | undefined, logicalId: string, attribute: string): Resolved {
  const key = attribute.slice('Outputs.'.length);
  return child?.outputs.find((o) => o.key === key)?.value ?? new Unknown(logicalId);
}
