/**
 * What happens around a resource's create or update step besides the step itself: a hook that
 * fails it before provisioning (hooks.ts), the CONFIGURATION_COMPLETE event of a resource that
 * stabilizes, and EXPRESS timing (stabilization.ts). It wraps the plain step of steps.ts, so the
 * events and state changes of the step itself stay where they are.
 */
import { isExpress } from './deploymentConfig';
import { resourceEvent } from './events';
import { failedInvocation, hookFailedReason, hookFailureOf, HOOK_SECONDS, newInvocation, type HookInvocation } from './hooks';
import type { Operation, Stack } from './model';
import type { StepSpec } from './phase';
import { CONFIGURATION_COMPLETE, CONSISTENCY_CHECK, stepTiming } from './stabilization';
import type { OperationContext } from './steps';
import type { ResourceDecl } from './template';

export function withProvisioningExtras(
  ctx: OperationContext,
  stack: Stack,
  op: Operation,
  decl: ResourceDecl,
  spec: StepSpec,
  point: 'create' | 'update',
): StepSpec {
  const hook = hookFailureOf(decl, point);
  const inProgress = point === 'create' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
  const current = (): ReturnType<typeof stack.resources.get> => stack.resources.get(decl.logicalId);

  if (hook) {
    let invocation: HookInvocation | undefined;
    return {
      ...spec,
      seconds: HOOK_SECONDS,
      fail: hookFailedReason(hook),
      hooks: {
        ...spec.hooks,
        start: (at) => {
          const error = spec.hooks.start(at);
          const resource = current();
          if (error !== undefined || !resource) return error;
          invocation = newInvocation(hook, { typeName: decl.type, logicalId: decl.logicalId, action: point === 'create' ? 'CREATE' : 'UPDATE' }, at);
          resourceEvent(stack, op, resource, inProgress, at, { hook: invocation });
          return undefined;
        },
        // The hook fails the resource before anything is provisioned: no "Resource creation Initiated".
        initiated: undefined,
        fail: (at, reason) => {
          const resource = current();
          if (invocation && resource) resourceEvent(stack, op, resource, inProgress, at, { hook: failedInvocation(invocation, hook) });
          spec.hooks.fail(at, reason);
        },
      },
    };
  }

  const timing = stepTiming(decl.type, spec.seconds, isExpress(op));
  const configuredAfter = timing.configuredAfter;
  if (configuredAfter === undefined) return spec;
  return {
    ...spec,
    seconds: timing.seconds,
    hooks: {
      ...spec.hooks,
      start: (at) => {
        const error = spec.hooks.start(at);
        if (error !== undefined) return error;
        const resource = current();
        // Scheduled before the step's own end, so at the same instant (EXPRESS) it comes first.
        ctx.scheduler.at(at + configuredAfter * 1000, (t) => {
          const still = current();
          if (!still || still !== resource || still.status !== inProgress || stack.operation !== op || op.stage !== 'forward') return;
          resourceEvent(stack, op, still, inProgress, t, { reason: CONSISTENCY_CHECK, detailedStatus: CONFIGURATION_COMPLETE });
        });
        return undefined;
      },
    },
  };
}
