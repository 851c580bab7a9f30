/**
 * Resources that exist outside any stack, and ImportExistingResources.
 *
 * The `existingResources` setting lists named resources that "already exist" in the account:
 * `[{ "type": "AWS::S3::Bucket", "identifier": "legacy-bucket" }]` (start option, `configure()`
 * or `POST /_sim/config`). A CREATE or UPDATE change set that adds a resource with that type and
 * name (its BucketName, QueueName, … property) then either fails early validation with a name
 * conflict, or, with `ImportExistingResources: true`, shows that resource as an `Import` change
 * (with the existing name as its PhysicalResourceId). Executing it imports the resource:
 * `IMPORT_IN_PROGRESS` then `IMPORT_COMPLETE`, in the same simulated time as a create.
 * Source: API CreateChangeSet `ImportExistingResources` ("Indicates if the change set auto-imports
 * resources that already exist … only works for resources with custom names"),
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html.
 */
import type { ChangeSetOptions } from './deploymentConfig';
import type { ResourceChange } from './diff';
import { resourceEvent } from './events';
import type { Resolver } from './intrinsics';
import { knobsOf } from './knobs';
import type { Deployment, Operation, SimResource, Stack } from './model';
import type { StepSpec } from './phase';
import { makePhysicalId, namePropertyOf } from './resourceTypes';
import type { OperationContext } from './steps';
import type { ResourceDecl } from './template';

export interface ExistingResource {
  type: string;
  identifier: string;
}

/** Turns Add into Import for resources whose custom name is listed as existing, when the change set asks for it. */
export function markImports(
  changes: ResourceChange[],
  deployment: Deployment,
  resolver: Resolver,
  existing: readonly ExistingResource[],
  options: ChangeSetOptions,
): ResourceChange[] {
  if (!options.importExistingResources || existing.length === 0) return changes;
  return changes.map((change) => {
    if (change.action !== 'Add') return change;
    const name = customName(deployment.template.resources.get(change.logicalId), resolver);
    if (name === undefined || !existing.some((e) => e.type === change.resourceType && e.identifier === name)) return change;
    return { ...change, action: 'Import', physicalId: name, details: [], scope: [] };
  });
}

export function isImported(op: Operation, logicalId: string): boolean {
  return op.changeSet?.changes.some((c) => c.logicalId === logicalId && c.action === 'Import') ?? false;
}

export function importStep(ctx: OperationContext, stack: Stack, op: Operation, decl: ResourceDecl): StepSpec {
  const knobs = knobsOf(decl);
  let resource: SimResource | undefined;
  return {
    id: decl.logicalId,
    after: decl.dependsOn,
    seconds: ctx.seconds(stack, decl, 'create', knobs),
    hooks: {
      start: (at) => {
        op.started.add(decl.logicalId);
        let properties: SimResource['properties'] = {};
        try {
          properties = ctx.resolver(stack, op.target).resolveProperties(decl.properties);
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
        resource = { logicalId: decl.logicalId, type: decl.type, status: 'IMPORT_IN_PROGRESS', timestamp: at, properties, metadata: decl.metadata };
        resource.physicalId = makePhysicalId(decl, properties, stack.name, ctx);
        stack.resources.set(decl.logicalId, resource);
        resourceEvent(stack, op, resource, 'IMPORT_IN_PROGRESS', at, { properties });
        return undefined;
      },
      complete: (at) => resourceEvent(stack, op, resource!, 'IMPORT_COMPLETE', at),
      fail: (at, reason) => {
        op.failedCreate.push(decl.logicalId);
        if (resource) resourceEvent(stack, op, resource, 'IMPORT_FAILED', at, { reason });
      },
      cancel: (at) => {
        op.failedCreate.push(decl.logicalId);
        if (resource) resourceEvent(stack, op, resource, 'IMPORT_FAILED', at, { reason: 'Resource import cancelled' });
      },
    },
  };
}

function customName(decl: ResourceDecl | undefined, resolver: Resolver): string | undefined {
  const property = decl === undefined ? undefined : namePropertyOf(decl.type);
  if (decl === undefined || property === undefined || decl.properties[property] === undefined) return undefined;
  try {
    const value = resolver.resolveProperties({ [property]: decl.properties[property] })[property];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
