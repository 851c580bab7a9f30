/**
 * Drift: a live resource's actual state set out of band (the `/_sim/drift` control route, or
 * `sim.drift()`), and drift-aware change sets (`DeploymentMode: REVERT_DRIFT`).
 *
 * A drift-aware change set compares the template with the resource's ACTUAL state, not the last
 * deployment: a drifted property is changed back even when the template did not change
 * (BeforeValueFrom ACTUAL_STATE, Target.Drift {PreviousValue, ActualValue}), a property whose new
 * template value equals the actual one is a `SyncWithActual` change that only resets the drift,
 * and a resource deleted out of band is created again. Every change carries ResourceDriftStatus.
 */
import { computeChanges, isLive, type ChangeDetail, type DiffInput, type ResourceChange } from './diff';
import { validationError } from './errors';
import { sameValue, type Resolved } from './intrinsics';
import type { SimResource, Stack } from './model';

/** `POST /_sim/drift` body. `properties` values replace the actual ones; `null` means removed out of band. */
export interface DriftRequest {
  stackName: string;
  logicalId: string;
  properties?: Record<string, unknown>;
  /** The physical resource was deleted out of band. */
  deleted?: boolean;
  /** Back in sync: forget the drift. */
  clear?: boolean;
}

export interface DriftResult {
  logicalId: string;
  physicalId?: string;
  status: 'IN_SYNC' | 'MODIFIED' | 'DELETED';
  /** The actual properties now (deployed ones with the drift applied). */
  actual: Record<string, Resolved>;
}

export function checkedDriftRequest(value: unknown): DriftRequest {
  if (typeof value !== 'object' || value === null) throw new TypeError('expected { stackName, logicalId, properties?, deleted?, clear? }');
  const v = value as Record<string, unknown>;
  if (typeof v['stackName'] !== 'string' || typeof v['logicalId'] !== 'string') throw new TypeError('stackName and logicalId must be strings');
  const properties = v['properties'];
  if (properties !== undefined && (typeof properties !== 'object' || properties === null || Array.isArray(properties))) {
    throw new TypeError('properties must be an object of property name → actual value (null: removed)');
  }
  return {
    stackName: v['stackName'],
    logicalId: v['logicalId'],
    properties: properties as Record<string, unknown> | undefined,
    deleted: v['deleted'] === true,
    clear: v['clear'] === true,
  };
}

export function injectDrift(stack: Stack, request: DriftRequest): DriftResult {
  const resource = stack.resources.get(request.logicalId);
  if (!resource || !isLive(resource)) throw validationError(`Resource ${request.logicalId} does not exist for stack ${stack.name}`);
  if (request.clear) resource.drift = undefined;
  else {
    const drifted = { ...(resource.drift?.properties ?? {}), ...((request.properties ?? {}) as Record<string, Resolved>) };
    resource.drift = { properties: drifted, deleted: request.deleted === true || resource.drift?.deleted === true };
  }
  return { logicalId: resource.logicalId, physicalId: resource.physicalId, status: driftStatus(resource), actual: actualProperties(resource) };
}

export function driftStatus(resource: SimResource): 'IN_SYNC' | 'MODIFIED' | 'DELETED' {
  if (resource.drift?.deleted) return 'DELETED';
  return driftedKeys(resource).length > 0 ? 'MODIFIED' : 'IN_SYNC';
}

export function actualProperties(resource: SimResource): Record<string, Resolved> {
  const actual: Record<string, Resolved> = { ...resource.properties };
  for (const [key, value] of Object.entries(resource.drift?.properties ?? {})) {
    if (value === null) delete actual[key];
    else actual[key] = value;
  }
  return actual;
}

function driftedKeys(resource: SimResource): string[] {
  const actual = actualProperties(resource);
  return Object.keys(resource.drift?.properties ?? {}).filter((key) => !sameValue(actual[key], resource.properties[key]));
}

/**
 * After an update: a drift-aware one brings the whole resource back to the template; a plain one
 * writes only the properties it changes, so drift elsewhere stays.
 */
export function settleDrift(resource: SimResource, written: Record<string, Resolved>, revertAll: boolean): void {
  if (!resource.drift) return;
  if (revertAll) {
    resource.drift = undefined;
    return;
  }
  const left = Object.fromEntries(Object.entries(resource.drift.properties).filter(([key]) => sameValue(written[key], resource.properties[key])));
  resource.drift = Object.keys(left).length === 0 && !resource.drift.deleted ? undefined : { ...resource.drift, properties: left };
}

/** The changes of a REVERT_DRIFT change set: the plain diff taken against the actual state, then annotated. */
export function driftAwareChanges(input: DiffInput, stack: Stack): ResourceChange[] {
  if (input.type !== 'UPDATE' || !input.current)
    throw validationError('DeploymentMode REVERT_DRIFT can only be used with an UPDATE change set on an existing stack.');
  const actualResources = new Map<string, SimResource>();
  for (const [id, resource] of stack.resources) {
    if (resource.drift?.deleted) continue;
    actualResources.set(id, { ...resource, properties: actualProperties(resource) });
  }
  const changes = computeChanges({ ...input, current: { ...input.current, resources: actualResources } });
  const byId = new Map(changes.map((c) => [c.logicalId, c]));
  const after = input.resolverFor(new Set());
  for (const [id, resource] of stack.resources) {
    if (!isLive(resource)) continue;
    const decl = input.next.template.resources.get(id);
    let change = byId.get(id);
    const keys = driftedKeys(resource);
    if (!change && decl && keys.length > 0) {
      const properties = after.resolveProperties(decl.properties);
      change = syncChange(resource, properties);
      changes.push(change);
      byId.set(id, change);
    }
    if (!change) continue;
    change.resourceDriftStatus = driftStatus(resource);
    annotate(change, resource, keys, decl ? after.resolveProperties(decl.properties) : {});
  }
  return changes;
}

function syncChange(resource: SimResource, properties: Record<string, Resolved>): ResourceChange {
  return {
    action: 'Modify',
    logicalId: resource.logicalId,
    physicalId: resource.physicalId,
    resourceType: resource.type,
    replacement: 'False',
    scope: ['Properties'],
    details: [],
    beforeContext: JSON.stringify({ Properties: actualProperties(resource) }),
    afterContext: JSON.stringify({ Properties: properties }),
  };
}

function annotate(change: ResourceChange, resource: SimResource, drifted: string[], after: Record<string, Resolved>): void {
  const actual = actualProperties(resource);
  const driftOf = (key: string): ChangeDetail['drift'] => ({ previous: textOf(resource.properties[key]), actual: textOf(actual[key]) });
  for (const detail of change.details) {
    const key = detail.name ?? (detail.attribute === 'Tags' ? 'Tags' : undefined);
    detail.afterValueFrom = 'TEMPLATE';
    if (key !== undefined && drifted.includes(key)) {
      detail.beforeValueFrom = 'ACTUAL_STATE';
      detail.drift = driftOf(key);
    } else detail.beforeValueFrom = 'PREVIOUS_DEPLOYMENT_STATE';
  }
  if (change.action !== 'Modify') return;
  const covered = new Set(change.details.map((d) => d.name ?? (d.attribute === 'Tags' ? 'Tags' : '')));
  for (const key of drifted) {
    if (covered.has(key) || !sameValue(after[key], actual[key])) continue;
    change.details.push({
      attribute: key === 'Tags' ? 'Tags' : 'Properties',
      name: key === 'Tags' ? undefined : key,
      requiresRecreation: 'Never',
      evaluation: 'Static',
      changeSource: 'NoModification',
      path: `/Properties/${key}`,
      beforeValue: textOf(actual[key]),
      afterValue: textOf(after[key]),
      changeType: 'SyncWithActual',
      beforeValueFrom: 'ACTUAL_STATE',
      afterValueFrom: 'TEMPLATE',
      drift: driftOf(key),
    });
  }
}

function textOf(value: Resolved | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
