/**
 * Stack operations over simulated time: create, update, delete, and the rollbacks, cleanups and
 * recoveries around them, emitting the events CloudFormation emits in the order it emits them.
 *
 * Each operation runs as a chain of phases (see phase.ts). The functions here only decide which
 * steps a phase has and what happens when it ends; timing and cancellation live in PhaseRun.
 */
import { randomUUID } from 'node:crypto';
import { deletesAfterRollback } from './deploymentConfig';
import { resourceEvent, stackEvent } from './events';
import { knobsOf, failureFor, type Knobs } from './knobs';
import type { ChangeSet, Deployment, Operation, OperationType, PlanAction, Stack } from './model';
import { resolveOutputs } from './outputs';
import { PhaseRun, type StepSpec } from './phase';
import { CANCEL_UPDATE, createStep, deleteStep, dependentsOf, isRetained, NESTED_STACK_TYPE, updateStep, type OperationContext } from './steps';
import type { Template } from './template';

const USER_INITIATED = 'User Initiated';

// ---------- starting operations ----------

function newOperation(stack: Stack, type: OperationType): string {
  const id = randomUUID();
  stack.lastOperations = [{ type, id }, ...stack.lastOperations].slice(0, 5);
  (stack.operationLog ??= []).push({ type, id });
  return id;
}

export interface ExecutionOptions {
  token?: string;
  disableRollback: boolean;
  /**
   * A stack-level failure found when the operation starts (parameter values that do not exist,
   * an export gone since the change set was made): no resource is touched, the stack's own event
   * carries the reason, and the stack rolls back.
   */
  preflightFailure?: string;
  /** UpdateStack without a change set (another client): the stack's change sets become OBSOLETE instead of being deleted. */
  direct?: boolean;
}

/** CloudFormation validates parameters and imports a couple of seconds into the operation. */
const PREFLIGHT_SECONDS = 2;

export function startExecution(ctx: OperationContext, stack: Stack, changeSet: ChangeSet, options: ExecutionOptions, at: number): void {
  const kind = changeSet.type === 'CREATE' ? 'create' : 'update';
  const plan = new Map<string, PlanAction>();
  for (const change of changeSet.changes)
    plan.set(change.logicalId, change.action === 'Add' || change.action === 'Import' ? 'create' : change.action === 'Modify' ? 'update' : 'remove');
  const op: Operation = {
    kind,
    token: options.token,
    operationId: newOperation(stack, kind === 'create' ? 'CREATE_STACK' : 'UPDATE_STACK'),
    changeSet,
    disableRollback: options.disableRollback,
    target: changeSet.deployment,
    before: kind === 'update' ? { deployment: stack.deployment, resources: structuredClone(stack.resources), outputs: stack.outputs } : undefined,
    plan,
    started: new Set(),
    replaced: new Map(),
    failedCreate: [],
    failedUpdate: [],
    rollbackFailedOnce: new Set(),
    toRevert: new Set(),
    stage: 'forward',
  };
  stack.operation = op;
  stack.deployment = changeSet.deployment;
  changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
  if (options.direct) {
    // "When you update a stack, all previously created changesets will be invalidated."
    for (const other of stack.changeSets)
      if (other.executionStatus === 'AVAILABLE' || other.executionStatus === 'UNAVAILABLE') other.executionStatus = 'OBSOLETE';
  } else {
    stack.lastChangeSetId = changeSet.id;
    // Executing a change set makes every other change set of the stack obsolete, and CloudFormation deletes them.
    stack.changeSets = [changeSet];
  }
  if (kind === 'create') {
    stackEvent(stack, 'CREATE_IN_PROGRESS', USER_INITIATED, at, op);
  } else {
    stack.lastUpdatedTime = at;
    stackEvent(stack, 'UPDATE_IN_PROGRESS', USER_INITIATED, at, op);
  }
  const failure = options.preflightFailure;
  if (failure === undefined) {
    runForward(ctx, stack, op, at);
    return;
  }
  ctx.scheduler.at(at + PREFLIGHT_SECONDS * 1000, (t) => {
    // A cancel in the meantime has taken over.
    if (stack.operation !== op || op.stage !== 'forward' || op.phase !== undefined) return;
    failStackLevel(ctx, stack, op, failure, t);
  });
}

/** A failure of the stack itself, with no failed resource: the reason is only on the stack's event. */
function failStackLevel(ctx: OperationContext, stack: Stack, op: Operation, reason: string, at: number): void {
  if (op.disableRollback) {
    op.stage = 'failed';
    if (op.changeSet) op.changeSet.executionStatus = 'EXECUTE_FAILED';
    stackEvent(stack, op.kind === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED', reason, at, op);
    return;
  }
  beginAutomaticRollback(stack, op);
  // Recorded traces: a create's reason ends "Rollback requested by user.", an update's does not.
  if (op.kind === 'create') startCreateRollback(ctx, stack, op, `${reason} Rollback requested by user.`, at);
  else startUpdateRollback(ctx, stack, op, reason, at);
}

/** The rollback after a failure is an operation of its own: a new OperationId, the same ClientRequestToken. */
function beginAutomaticRollback(stack: Stack, op: Operation): void {
  op.operationId = newOperation(stack, 'ROLLBACK');
}

export function startDelete(ctx: OperationContext, stack: Stack, options: { token?: string; force: boolean }, at: number): void {
  const template = stack.deployment?.template;
  const op: Operation = {
    kind: 'delete',
    token: options.token,
    operationId: newOperation(stack, 'DELETE_STACK'),
    disableRollback: false,
    target: stack.deployment ?? emptyDeployment(),
    plan: new Map(),
    started: new Set(),
    replaced: new Map(),
    failedCreate: [],
    failedUpdate: [],
    rollbackFailedOnce: new Set(),
    toRevert: new Set(),
    stage: 'delete',
  };
  stack.operation = op;
  stackEvent(stack, 'DELETE_IN_PROGRESS', USER_INITIATED, at, op);
  const ids = [...stack.resources.values()].filter((r) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED').map((r) => r.logicalId);
  const steps = ids.map((id) => {
    const resource = stack.resources.get(id)!;
    const decl = template?.resources.get(id);
    const skip = (options.force && resource.status === 'DELETE_FAILED') || isRetained(decl?.deletionPolicy);
    return deleteStep(ctx, stack, op, resource, {
      after: dependentsOf(id, ids, template),
      knobs: knobsOf(decl),
      fail: failureFor(knobsOf(decl), 'delete'),
      skip,
    });
  });
  runPhase(ctx, op, steps, 'drain', at, (outcome, t) => {
    if (outcome.failed.length > 0) {
      op.stage = 'failed';
      stackEvent(stack, 'DELETE_FAILED', `The following resource(s) failed to delete: [${outcome.failed.join(', ')}]. `, t, op);
      return;
    }
    op.stage = 'done';
    stackEvent(stack, 'DELETE_COMPLETE', undefined, t, op);
    stack.deleted = true;
    stack.deletionTime = t;
    stack.changeSets = [];
    stack.outputs = [];
    stack.operation = undefined;
  });
}

/** A nested stack's create, cancelled because its parent's create failed elsewhere: the running steps are cancelled and it rolls back. */
export function cancelNestedCreate(ctx: OperationContext, stack: Stack, at: number): void {
  const op = stack.operation;
  if (!op || op.kind !== 'create' || op.stage !== 'forward') return;
  op.phase?.interrupt(at);
  beginAutomaticRollback(stack, op);
  startCreateRollback(ctx, stack, op, `${failureReason(op)}Rollback requested by user.`, at);
}

export function cancelUpdate(ctx: OperationContext, stack: Stack, token: string | undefined, at: number): void {
  const op = stack.operation!;
  // The rollback is the cancel's operation: its events carry the cancel's token (or none), not the update's.
  op.token = token;
  op.operationId = newOperation(stack, 'ROLLBACK');
  stackEvent(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', USER_INITIATED, at, op);
  op.phase?.interrupt(at);
  if (op.changeSet) op.changeSet.executionStatus = 'EXECUTE_FAILED';
  op.toRevert = revertable(op);
  runReverts(ctx, stack, op, at);
}

export function continueRollback(ctx: OperationContext, stack: Stack, skip: readonly string[], token: string | undefined, at: number): void {
  const op = stack.operation!;
  op.token = token;
  op.operationId = newOperation(stack, 'CONTINUE_ROLLBACK');
  stackEvent(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', USER_INITIATED, at, op);
  for (const id of skip) {
    const resource = stack.resources.get(id);
    if (!resource || !op.toRevert.delete(id)) continue;
    // Per the API reference: skipped resources are marked UPDATE_COMPLETE and the rollback goes on.
    resourceEvent(stack, op, resource, 'UPDATE_COMPLETE', at, { reason: 'Resource skipped during rollback' });
  }
  runReverts(ctx, stack, op, at);
}

export function rollbackFailedStack(ctx: OperationContext, stack: Stack, token: string | undefined, at: number): void {
  const op = stack.operation!;
  op.token = token;
  op.operationId = newOperation(stack, 'ROLLBACK');
  if (op.kind === 'create') startCreateRollback(ctx, stack, op, USER_INITIATED, at);
  else startUpdateRollback(ctx, stack, op, USER_INITIATED, at);
}

// ---------- forward ----------

function runForward(ctx: OperationContext, stack: Stack, op: Operation, at: number): void {
  const template = op.target.template;
  const ids = [...template.resources.keys()].filter((id) => op.plan.get(id) === 'create' || op.plan.get(id) === 'update');
  const steps = ids.map((id) => {
    const decl = template.resources.get(id)!;
    // A resource planned as a modification that is no longer there is created instead of crashing the run.
    return op.plan.get(id) === 'create' || !stack.resources.has(id) ? createStep(ctx, stack, op, decl) : updateStep(ctx, stack, op, decl);
  });
  runPhase(ctx, op, steps, 'cancel', at, (outcome, t) => {
    if (outcome.failed.length === 0 && outcome.cancelled.length === 0) {
      stack.outputs = resolveOutputs(ctx, stack, op.target);
      if (op.kind === 'create') {
        op.stage = 'done';
        if (op.changeSet) op.changeSet.executionStatus = 'EXECUTE_COMPLETE';
        stackEvent(stack, 'CREATE_COMPLETE', undefined, t, op);
        stack.operation = undefined;
      } else {
        stackEvent(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', undefined, t, op);
        runCleanup(ctx, stack, op, t);
      }
      return;
    }
    const reason = failureReason(op);
    if (op.disableRollback) {
      op.stage = 'failed';
      if (op.changeSet) op.changeSet.executionStatus = 'EXECUTE_FAILED';
      stackEvent(stack, op.kind === 'create' ? 'CREATE_FAILED' : 'UPDATE_FAILED', reason, t, op);
      return;
    }
    beginAutomaticRollback(stack, op);
    if (op.kind === 'create') startCreateRollback(ctx, stack, op, `${reason}Rollback requested by user.`, t);
    else startUpdateRollback(ctx, stack, op, reason, t);
  });
}

function failureReason(op: Operation): string {
  const parts: string[] = [];
  if (op.failedCreate.length > 0) parts.push(`failed to create: [${op.failedCreate.join(', ')}]`);
  if (op.failedUpdate.length > 0) parts.push(`failed to update: [${op.failedUpdate.join(', ')}]`);
  return `The following resource(s) ${parts.join(', ')}. `;
}

// ---------- cleanup after a successful update ----------

function runCleanup(ctx: OperationContext, stack: Stack, op: Operation, at: number): void {
  op.stage = 'cleanup';
  const oldTemplate = op.before?.deployment?.template;
  const removed = [...op.plan].filter(([, action]) => action === 'remove').map(([id]) => id);
  const replaced = [...op.replaced].filter(([, r]) => r.newPhysicalId !== undefined && r.oldPhysicalId !== undefined);
  const ids = [...removed, ...replaced.map(([id]) => id)];
  const steps: StepSpec[] = [];
  for (const id of removed) {
    const resource = stack.resources.get(id);
    if (!resource) continue;
    const decl = oldTemplate?.resources.get(id);
    steps.push(
      deleteStep(ctx, stack, op, resource, {
        after: dependentsOf(id, ids, oldTemplate),
        knobs: knobsOf(decl),
        fail: failureFor(knobsOf(decl), 'delete'),
        skip: isRetained(decl?.deletionPolicy),
      }),
    );
  }
  for (const [id, { oldPhysicalId }] of replaced) {
    const resource = stack.resources.get(id)!;
    const decl = op.target.template.resources.get(id);
    const knobs = knobsOf(oldTemplate?.resources.get(id), decl);
    steps.push(
      deleteStep(ctx, stack, op, resource, {
        after: dependentsOf(id, ids, oldTemplate),
        knobs,
        fail: failureFor(knobs, 'delete'),
        skip: isRetained(decl?.updateReplacePolicy),
        physicalId: oldPhysicalId,
      }),
    );
  }
  // Cleanup failures leave orphaned resources but do not fail the update, as in CloudFormation.
  runPhase(ctx, op, steps, 'drain', at, (_outcome, t) => {
    for (const id of removed) stack.resources.delete(id);
    op.stage = 'done';
    if (op.changeSet) op.changeSet.executionStatus = 'EXECUTE_COMPLETE';
    stackEvent(stack, 'UPDATE_COMPLETE', undefined, t, op);
    stack.operation = undefined;
  });
}

// ---------- rollback of a create ----------

function startCreateRollback(ctx: OperationContext, stack: Stack, op: Operation, reason: string, at: number): void {
  op.stage = 'rollback';
  if (op.changeSet) op.changeSet.executionStatus = 'EXECUTE_FAILED';
  stackEvent(stack, 'ROLLBACK_IN_PROGRESS', reason, at, op);
  const template = op.target.template;
  const ids = [...stack.resources.values()].filter((r) => r.status !== 'DELETE_COMPLETE').map((r) => r.logicalId);
  const steps = ids.map((id) => {
    const decl = template.resources.get(id);
    const knobs = knobsOf(decl);
    return deleteStep(ctx, stack, op, stack.resources.get(id)!, {
      after: dependentsOf(id, ids, template),
      knobs,
      fail: rollbackFailure(op, id, knobs),
      skip: false,
    });
  });
  runPhase(ctx, op, steps, 'drain', at, (outcome, t) => {
    stack.outputs = [];
    if (outcome.failed.length > 0) {
      op.stage = 'failed';
      stackEvent(stack, 'ROLLBACK_FAILED', `The following resource(s) failed to delete: [${outcome.failed.join(', ')}]. `, t, op);
      return;
    }
    op.stage = 'done';
    stackEvent(stack, 'ROLLBACK_COMPLETE', undefined, t, op);
    stack.operation = undefined;
    // OnStackFailure DELETE: the rolled-back stack is then deleted, as its own DELETE_STACK operation.
    if (deletesAfterRollback(op)) startDelete(ctx, stack, { token: op.token, force: false }, t);
  });
}

// ---------- rollback of an update ----------

function startUpdateRollback(ctx: OperationContext, stack: Stack, op: Operation, reason: string, at: number): void {
  if (op.changeSet) op.changeSet.executionStatus = 'EXECUTE_FAILED';
  stackEvent(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason, at, op);
  op.toRevert = revertable(op);
  runReverts(ctx, stack, op, at);
}

/** Updated or replaced resources the forward phase touched. */
function revertable(op: Operation): Set<string> {
  return new Set([...op.started].filter((id) => op.plan.get(id) === 'update'));
}

function runReverts(ctx: OperationContext, stack: Stack, op: Operation, at: number): void {
  op.stage = 'rollback';
  const oldTemplate = op.before?.deployment?.template;
  const ids = [...op.toRevert];
  const steps = ids.map((id): StepSpec => {
    const resource = stack.resources.get(id)!;
    const previous = op.before?.resources.get(id);
    const knobs = knobsOf(op.target.template.resources.get(id), oldTemplate?.resources.get(id));
    return {
      id,
      after: oldTemplate?.resources.get(id)?.dependsOn ?? [],
      seconds: ctx.seconds(stack, resource, 'revert', knobs),
      fail: rollbackFailure(op, id, knobs),
      hooks: {
        start: (t) => {
          if (previous) resource.physicalId = previous.physicalId;
          resourceEvent(stack, op, resource, 'UPDATE_IN_PROGRESS', t, { properties: previous?.properties });
          return undefined;
        },
        complete: (t) => {
          if (previous) {
            resource.properties = previous.properties;
            resource.metadata = previous.metadata;
          }
          op.toRevert.delete(id);
          resourceEvent(stack, op, resource, 'UPDATE_COMPLETE', t);
        },
        fail: (t, reason) => {
          op.rollbackFailedOnce.add(id);
          resourceEvent(stack, op, resource, 'UPDATE_FAILED', t, { reason });
        },
        cancel: (t) => resourceEvent(stack, op, resource, 'UPDATE_FAILED', t, { reason: CANCEL_UPDATE }),
      },
    };
  });
  const reverts = steps.map((s) => (ctx.nested && stack.resources.get(s.id)?.type === NESTED_STACK_TYPE ? ctx.nested.revert(stack, op, s) : s));
  runPhase(ctx, op, reverts, 'drain', at, (outcome, t) => {
    if (outcome.failed.length > 0) {
      op.stage = 'failed';
      stackEvent(stack, 'UPDATE_ROLLBACK_FAILED', `The following resource(s) failed to update: [${outcome.failed.join(', ')}]. `, t, op);
      return;
    }
    if (op.before) {
      stack.deployment = op.before.deployment;
      stack.outputs = op.before.outputs;
    }
    stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', undefined, t, op);
    runRollbackCleanup(ctx, stack, op, t);
  });
}

/** Removes what the failed update created: added resources and the new halves of replacements. */
function runRollbackCleanup(ctx: OperationContext, stack: Stack, op: Operation, at: number): void {
  op.stage = 'rollbackCleanup';
  const template = op.target.template;
  const created = [...op.started].filter((id) => op.plan.get(id) === 'create' && stack.resources.has(id));
  const replaced = [...op.replaced].filter(([, r]) => r.newPhysicalId !== undefined);
  const ids = [...created, ...replaced.map(([id]) => id)];
  const steps: StepSpec[] = [
    ...created.map((id) =>
      deleteStep(ctx, stack, op, stack.resources.get(id)!, { after: dependentsOf(id, ids, template), knobs: knobsOf(template.resources.get(id)), skip: false }),
    ),
    ...replaced.map(([id, { newPhysicalId }]) =>
      deleteStep(ctx, stack, op, stack.resources.get(id)!, {
        after: dependentsOf(id, ids, template),
        knobs: knobsOf(template.resources.get(id)),
        skip: false,
        physicalId: newPhysicalId,
      }),
    ),
  ];
  runPhase(ctx, op, steps, 'drain', at, (_outcome, t) => {
    for (const id of created) stack.resources.delete(id);
    op.stage = 'done';
    stackEvent(stack, 'UPDATE_ROLLBACK_COMPLETE', undefined, t, op);
    stack.operation = undefined;
  });
}

function rollbackFailure(op: Operation, id: string, knobs: Knobs): string | undefined {
  return knobs.failRollback !== undefined && !op.rollbackFailedOnce.has(id) ? knobs.failRollback : undefined;
}

function runPhase(
  ctx: OperationContext,
  op: Operation,
  steps: StepSpec[],
  mode: 'cancel' | 'drain',
  at: number,
  onDone: ConstructorParameters<typeof PhaseRun>[3],
): void {
  const phase = new PhaseRun(ctx.scheduler, steps, mode, onDone);
  op.phase = phase;
  phase.start(at);
}

function emptyDeployment(): Deployment {
  const template: Template = { body: '', raw: {}, transforms: [], parameters: [], conditions: {}, mappings: {}, resources: new Map(), outputs: [] };
  return { template, params: new Map(), capabilities: [], tags: [] };
}
