/**
 * IncludeNestedStacks: a change set on a parent makes one nested change set per
 * AWS::CloudFormation::Stack resource it adds or modifies, on the nested stack (made now, in
 * REVIEW_IN_PROGRESS, when the resource is new), down the whole tree. Nested change sets carry
 * ParentChangeSetId/RootChangeSetId; the parent's change for the resource carries the nested
 * change set's ID. Executing the root executes them all (nested.ts); deleting the root deletes them.
 */
import type { ChangeSet, Stack } from './model';
import { childChangeSet, childDeployment, newChildStack, reviewEvent, type NestedHost } from './nested';
import { NESTED_STACK_TYPE } from './steps';

export function planNestedChangeSets(host: NestedHost, stack: Stack, changeSet: ChangeSet, at: number): void {
  changeSet.includeNestedStacks = true;
  if (changeSet.failure !== undefined) return;
  const resolver = host.resolver(stack, changeSet.deployment);
  for (const change of changeSet.changes) {
    if (change.resourceType !== NESTED_STACK_TYPE || (change.action !== 'Add' && change.action !== 'Modify')) continue;
    const decl = changeSet.deployment.template.resources.get(change.logicalId);
    if (!decl) continue;
    let nested: ChangeSet;
    let child: Stack;
    try {
      const deployment = childDeployment(host, changeSet.deployment, resolver.resolveProperties(decl.properties));
      const existing = change.physicalId === undefined ? undefined : host.findStack(change.physicalId);
      child = change.action === 'Modify' && existing ? existing : newChildStack(host, stack, change.logicalId, at);
      if (child !== existing) reviewEvent(child, at);
      nested = childChangeSet(host, child, child === existing ? 'UPDATE' : 'CREATE', deployment, at, `${changeSet.name}-${change.logicalId}`.slice(0, 128));
    } catch (e) {
      changeSet.failure = `Nested stack ${change.logicalId}: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    // Each nested change set is validated early like its root; one that fails fails the root.
    host.reviewNested(child, nested, changeSet.options);
    nested.status = 'CREATE_PENDING';
    nested.executionStatus = 'UNAVAILABLE';
    nested.parentChangeSetId = changeSet.id;
    nested.rootChangeSetId = changeSet.rootChangeSetId ?? changeSet.id;
    nested.clientToken = undefined;
    child.changeSets.push(nested);
    (changeSet.nested ??= new Map()).set(change.logicalId, nested);
    change.changeSetId = nested.id;
    planNestedChangeSets(host, child, nested, at);
    if (nested.failure !== undefined) {
      changeSet.failure = `Nested change set ${nested.id} was not successfully created: Currently in FAILED.`;
    }
    host.scheduleChangeSet(child, nested, at);
  }
}

/** Deleting a root change set deletes its nested change sets with it. */
export function deleteNestedChangeSets(host: NestedHost, changeSet: ChangeSet): void {
  for (const nested of changeSet.nested?.values() ?? []) {
    const child = host.findStack(nested.stackId);
    if (child) child.changeSets = child.changeSets.filter((c) => c !== nested);
    deleteNestedChangeSets(host, nested);
  }
}
