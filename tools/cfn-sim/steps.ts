/**
 * The steps of a phase, one per resource: what a create, an update (in place or by replacement)
 * and a delete emit, and what they change on the resource, at each point of the step.
 */
import { firstUnknown, sameValue, type Resolved, type Resolver } from './intrinsics';
import { resourceEvent } from './events';
import type { StepKind } from './durations';
import { failureFor, knobsOf, type Knobs } from './knobs';
import type { Deployment, Operation, SimResource, Stack } from './model';
import type { StepSpec } from './phase';
import { isImmutableProperty, makePhysicalId } from './resourceTypes';
import type { Scheduler } from './scheduler';
import { settleDrift } from './drift';
import type { NestedSteps } from './nested';
import type { ResourceDecl, Template } from './template';
import { importStep, isImported } from './existingResources';
import { withProvisioningExtras } from './provisioning';

export interface OperationContext {
  scheduler: Scheduler;
  region: string;
  accountId: string;
  resolver(stack: Stack, deployment: Deployment): Resolver;
  /** Simulated seconds of one resource step: the `Seconds` knob, or the duration policy. */
  seconds(stack: Stack, resource: { logicalId: string; type: string }, kind: StepKind, knobs: Knobs): number;
  /** Turns the steps of an AWS::CloudFormation::Stack resource into operations on its nested stack. */
  nested?: NestedSteps;
}

export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

export function createStep(ctx: OperationContext, stack: Stack, op: Operation, decl: ResourceDecl): StepSpec {
  if (isImported(op, decl.logicalId)) return importStep(ctx, stack, op, decl);
  const spec = withProvisioningExtras(ctx, stack, op, decl, plainCreateStep(ctx, stack, op, decl), 'create');
  return decl.type === NESTED_STACK_TYPE && ctx.nested ? ctx.nested.create(stack, op, decl, spec) : spec;
}

export function updateStep(ctx: OperationContext, stack: Stack, op: Operation, decl: ResourceDecl): StepSpec {
  const spec = withProvisioningExtras(ctx, stack, op, decl, plainUpdateStep(ctx, stack, op, decl), 'update');
  return decl.type === NESTED_STACK_TYPE && ctx.nested ? ctx.nested.update(stack, op, decl, spec) : spec;
}

export function deleteStep(ctx: OperationContext, stack: Stack, op: Operation, resource: SimResource, options: DeleteOptions): StepSpec {
  const spec = plainDeleteStep(ctx, stack, op, resource, options);
  const nested = resource.type === NESTED_STACK_TYPE && !options.skip && options.physicalId === undefined;
  return nested && ctx.nested ? ctx.nested.delete(stack, op, resource, spec) : spec;
}

const CANCEL_CREATE = 'Resource creation cancelled';
export const CANCEL_UPDATE = 'Resource update cancelled';
const REPLACING = 'Requested update requires the creation of a new physical resource; hence creating one.';
const INITIATED = 'Resource creation Initiated';

function plainCreateStep(ctx: OperationContext, stack: Stack, op: Operation, decl: ResourceDecl): StepSpec {
  const knobs = knobsOf(decl);
  let resource: SimResource | undefined;
  const ensurePhysicalId = (r: SimResource): string => (r.physicalId ??= makePhysicalId(decl, r.properties, stack.name, ctx));
  return {
    id: decl.logicalId,
    after: decl.dependsOn,
    seconds: ctx.seconds(stack, decl, 'create', knobs),
    fail: failureFor(knobs, 'create'),
    hooks: {
      start: (at) => {
        op.started.add(decl.logicalId);
        const { properties, error } = resolveForDeploy(ctx, stack, op.target, decl);
        resource = { logicalId: decl.logicalId, type: decl.type, status: 'CREATE_IN_PROGRESS', timestamp: at, properties, metadata: decl.metadata };
        stack.resources.set(decl.logicalId, resource);
        resourceEvent(stack, op, resource, 'CREATE_IN_PROGRESS', at, { properties });
        return error;
      },
      initiated: (at) => {
        ensurePhysicalId(resource!);
        resourceEvent(stack, op, resource!, 'CREATE_IN_PROGRESS', at, { reason: INITIATED });
      },
      complete: (at) => {
        ensurePhysicalId(resource!);
        resourceEvent(stack, op, resource!, 'CREATE_COMPLETE', at);
      },
      fail: (at, reason) => {
        op.failedCreate.push(decl.logicalId);
        resourceEvent(stack, op, resource!, 'CREATE_FAILED', at, { reason });
      },
      cancel: (at) => {
        op.failedCreate.push(decl.logicalId);
        resourceEvent(stack, op, resource!, 'CREATE_FAILED', at, { reason: CANCEL_CREATE });
      },
    },
  };
}

function plainUpdateStep(ctx: OperationContext, stack: Stack, op: Operation, decl: ResourceDecl): StepSpec {
  const knobs = knobsOf(decl);
  const resource = stack.resources.get(decl.logicalId)!;
  let properties: Record<string, Resolved> = {};
  let replace = false;
  return {
    id: decl.logicalId,
    after: decl.dependsOn,
    seconds: ctx.seconds(stack, decl, 'update', knobs),
    fail: failureFor(knobs, 'update'),
    hooks: {
      start: (at) => {
        op.started.add(decl.logicalId);
        const resolved = resolveForDeploy(ctx, stack, op.target, decl);
        properties = resolved.properties;
        replace = resolved.error === undefined && needsReplacement(decl.type, resource.properties, properties);
        if (!replace) {
          resourceEvent(stack, op, resource, 'UPDATE_IN_PROGRESS', at, { properties });
          return resolved.error;
        }
        op.replaced.set(decl.logicalId, { oldPhysicalId: resource.physicalId });
        resourceEvent(stack, op, resource, 'UPDATE_IN_PROGRESS', at, { reason: REPLACING, properties });
        const newPhysicalId = makePhysicalId(decl, properties, stack.name, ctx);
        if (newPhysicalId === resource.physicalId) {
          return `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${resource.physicalId} and update the stack again.`;
        }
        return undefined;
      },
      initiated: (at) => {
        if (!replace) return;
        const newPhysicalId = makePhysicalId(decl, properties, stack.name, ctx);
        op.replaced.get(decl.logicalId)!.newPhysicalId = newPhysicalId;
        resource.physicalId = newPhysicalId;
        resourceEvent(stack, op, resource, 'UPDATE_IN_PROGRESS', at, { reason: INITIATED });
      },
      complete: (at) => {
        settleDrift(resource, properties, op.changeSet?.deploymentMode === 'REVERT_DRIFT');
        resource.properties = properties;
        resource.metadata = decl.metadata;
        resourceEvent(stack, op, resource, 'UPDATE_COMPLETE', at);
      },
      fail: (at, reason) => {
        op.failedUpdate.push(decl.logicalId);
        resourceEvent(stack, op, resource, 'UPDATE_FAILED', at, { reason });
      },
      cancel: (at) => {
        op.failedUpdate.push(decl.logicalId);
        resourceEvent(stack, op, resource, 'UPDATE_FAILED', at, { reason: CANCEL_UPDATE });
      },
    },
  };
}

function needsReplacement(type: string, before: Record<string, Resolved>, after: Record<string, Resolved>): boolean {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].some((key) => isImmutableProperty(type, key) && !sameValue(before[key], after[key]));
}

/** Deploy-time resolution: every dependency exists by now, so an unknown value is a template error. */
function resolveForDeploy(
  ctx: OperationContext,
  stack: Stack,
  deployment: Deployment,
  decl: ResourceDecl,
): { properties: Record<string, Resolved>; error?: string } {
  try {
    const properties = ctx.resolver(stack, deployment).resolveProperties(decl.properties);
    const unknown = firstUnknown(properties);
    if (unknown)
      return { properties, error: `Template format error: Unresolved resource dependencies [${unknown.cause}] in the Resources block of the template` };
    return { properties };
  } catch (e) {
    return { properties: {}, error: e instanceof Error ? e.message : String(e) };
  }
}

export interface DeleteOptions {
  after: readonly string[];
  knobs: Knobs;
  fail?: string;
  /** Retained, or skipped by FORCE_DELETE_STACK: DELETE_SKIPPED at once. */
  skip: boolean;
  /** Delete this physical resource (an old or new half of a replacement) without touching the logical resource's status. */
  physicalId?: string;
}

function plainDeleteStep(ctx: OperationContext, stack: Stack, op: Operation, resource: SimResource, options: DeleteOptions): StepSpec {
  const record = options.physicalId === undefined;
  const eventOptions = { record, physicalId: options.physicalId ?? (resource.physicalId === undefined ? null : undefined) };
  return {
    id: resource.logicalId,
    after: options.after,
    seconds: options.skip ? 0 : ctx.seconds(stack, resource, 'delete', options.knobs),
    fail: options.skip ? undefined : options.fail,
    hooks: {
      start: (at) => {
        if (!options.skip) resourceEvent(stack, op, resource, 'DELETE_IN_PROGRESS', at, eventOptions);
        return undefined;
      },
      complete: (at) => resourceEvent(stack, op, resource, options.skip ? 'DELETE_SKIPPED' : 'DELETE_COMPLETE', at, eventOptions),
      fail: (at, reason) => resourceEvent(stack, op, resource, 'DELETE_FAILED', at, { ...eventOptions, reason }),
      cancel: (at) => resourceEvent(stack, op, resource, 'DELETE_FAILED', at, { ...eventOptions, reason: 'Resource deletion cancelled' }),
    },
  };
}

/** Deletes run in reverse dependency order: a resource waits for everything that depends on it. */
export function dependentsOf(id: string, ids: readonly string[], template: Template | undefined): string[] {
  if (!template) return [];
  return ids.filter((other) => other !== id && (template.resources.get(other)?.dependsOn.includes(id) ?? false));
}

export function isRetained(policy: string | undefined): boolean {
  return policy === 'Retain' || policy === 'RetainExceptOnCreate';
}
