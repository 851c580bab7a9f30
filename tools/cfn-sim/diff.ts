/**
 * Change set contents: what executing a template would add, modify (and whether that replaces
 * the resource) and remove, in CloudFormation's ResourceChange vocabulary.
 */
import { containsUnknown, firstUnknown, sameValue, Unknown, type Resolved, type Resolver } from './intrinsics';
import { validationError } from './errors';
import type { Deployment, SimResource } from './model';
import { isImmutableProperty } from './resourceTypes';
import { collectReferences, topologicalOrder, type ResourceDecl, type Template } from './template';

/** Import: ImportExistingResources found the named resource already there (existingResources.ts). */
export type ChangeAction = 'Add' | 'Modify' | 'Remove' | 'Import';
export type Replacement = 'True' | 'False' | 'Conditional';

export interface ChangeDetail {
  attribute: 'Properties' | 'Metadata' | 'Tags';
  name?: string;
  requiresRecreation: 'Never' | 'Conditionally' | 'Always';
  evaluation: 'Static' | 'Dynamic';
  changeSource: 'DirectModification' | 'ParameterReference' | 'ResourceReference' | 'ResourceAttribute' | 'Automatic' | 'NoModification';
  causingEntity?: string;
  /** The values below are only shown when DescribeChangeSet asks for IncludePropertyValues. */
  path?: string;
  beforeValue?: string;
  afterValue?: string;
  changeType?: 'Add' | 'Remove' | 'Modify' | 'SyncWithActual';
  /** Drift-aware change sets only (drift.ts). */
  beforeValueFrom?: 'ACTUAL_STATE' | 'PREVIOUS_DEPLOYMENT_STATE';
  afterValueFrom?: 'TEMPLATE';
  drift?: { previous?: string; actual?: string };
}

export interface ResourceChange {
  action: ChangeAction;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  replacement?: Replacement;
  scope: string[];
  details: ChangeDetail[];
  policyAction?: string;
  beforeContext?: string;
  afterContext?: string;
  /** IncludeNestedStacks: the nested change set of an AWS::CloudFormation::Stack resource (nested.ts). */
  changeSetId?: string;
  /** Drift-aware change sets only (drift.ts). */
  resourceDriftStatus?: 'IN_SYNC' | 'MODIFIED' | 'DELETED';
}

export interface DiffInput {
  type: 'CREATE' | 'UPDATE';
  current?: { deployment?: Deployment; resources: ReadonlyMap<string, SimResource> };
  next: Deployment;
  /** A resolver over the live stack in which the given resources are not known yet. */
  resolverFor(unknown: ReadonlySet<string>): Resolver;
}

export function isLive(resource: SimResource): boolean {
  return resource.physicalId !== undefined && resource.status !== 'DELETE_COMPLETE' && resource.status !== 'DELETE_SKIPPED';
}

/** Resource IDs whose Condition holds, in template order. */
export function activeResources(template: Template, resolver: Resolver): string[] {
  return [...template.resources.values()].filter((d) => d.condition === undefined || resolver.condition(d.condition)).map((d) => d.logicalId);
}

export function computeChanges(input: DiffInput): ResourceChange[] {
  const { next } = input;
  const active = activeResources(next.template, input.resolverFor(new Set()));
  const live = new Map([...(input.current?.resources ?? new Map<string, SimResource>())].filter(([, r]) => isLive(r)));

  if (input.type === 'CREATE' || !input.current) {
    return active.map((id) => addChange(next.template.resources.get(id)!, input.resolverFor(new Set(active))));
  }

  const typeChanges = active.filter((id) => live.has(id) && live.get(id)!.type !== next.template.resources.get(id)!.type);
  if (typeChanges.length > 0) {
    throw validationError(
      `Update of resource type is not permitted. The new template modifies resource type of the following resources: [${typeChanges.join(', ')}]`,
    );
  }

  const pending = new Set<string>();
  const changes = new Map<string, ResourceChange>();
  for (const id of topologicalOrder(next.template, active)) {
    const decl = next.template.resources.get(id)!;
    const resource = live.get(id);
    if (!resource) {
      pending.add(id);
      continue;
    }
    const change = modifyChange(decl, resource, input.current.deployment?.template.resources.get(id), input.resolverFor(pending), next.template);
    if (!change) continue;
    changes.set(id, change);
    if (change.replacement !== 'False') pending.add(id);
  }
  const ordered: ResourceChange[] = [];
  for (const id of active) {
    if (!live.has(id)) ordered.push(addChange(next.template.resources.get(id)!, input.resolverFor(pending)));
    else if (changes.has(id)) ordered.push(changes.get(id)!);
  }
  const activeSet = new Set(active);
  for (const [id, resource] of live) {
    if (activeSet.has(id)) continue;
    const oldDecl = input.current.deployment?.template.resources.get(id);
    ordered.push({
      action: 'Remove',
      logicalId: id,
      physicalId: resource.physicalId,
      resourceType: resource.type,
      scope: [],
      details: [],
      policyAction:
        oldDecl?.deletionPolicy === 'Retain' || oldDecl?.deletionPolicy === 'RetainExceptOnCreate'
          ? 'Retain'
          : oldDecl?.deletionPolicy === 'Snapshot'
            ? 'Snapshot'
            : 'Delete',
      beforeContext: contextJson(resource.properties),
    });
  }
  return ordered;
}

function addChange(decl: ResourceDecl, resolver: Resolver): ResourceChange {
  return {
    action: 'Add',
    logicalId: decl.logicalId,
    resourceType: decl.type,
    scope: [],
    details: [],
    afterContext: contextJson(resolver.resolveProperties(decl.properties)),
  };
}

function modifyChange(
  decl: ResourceDecl,
  resource: SimResource,
  oldDecl: ResourceDecl | undefined,
  resolver: Resolver,
  template: Template,
): ResourceChange | undefined {
  const after = resolver.resolveProperties(decl.properties);
  const before = resource.properties;
  const details: ChangeDetail[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    const [b, a] = [before[key], after[key]];
    const rawChanged = !sameValue(oldDecl?.properties[key], decl.properties[key]);
    const immutable = isImmutableProperty(decl.type, key);
    const base = {
      attribute: key === 'Tags' ? ('Tags' as const) : ('Properties' as const),
      name: key === 'Tags' ? undefined : key,
      path: `/Properties/${key}`,
      ...valuesOf(b, a),
    };
    const unknown = firstUnknown(a);
    if (unknown) {
      if (rawChanged) details.push({ ...base, requiresRecreation: immutable ? 'Always' : 'Never', evaluation: 'Static', changeSource: 'DirectModification' });
      details.push({
        ...base,
        requiresRecreation: immutable ? 'Always' : 'Never',
        evaluation: 'Dynamic',
        changeSource: 'ResourceReference',
        causingEntity: causingEntityOf(decl.properties[key], unknown),
      });
    } else if (!sameValue(b, a)) {
      const parameter = rawChanged ? undefined : parameterCause(decl.properties[key], template);
      details.push({
        ...base,
        requiresRecreation: immutable ? 'Always' : 'Never',
        evaluation: 'Static',
        changeSource: rawChanged || parameter === undefined ? 'DirectModification' : 'ParameterReference',
        causingEntity: rawChanged ? undefined : parameter,
      });
    }
  }
  if (!sameValue(resource.metadata ?? null, decl.metadata ?? null)) {
    details.push({ attribute: 'Metadata', requiresRecreation: 'Never', evaluation: 'Static', changeSource: 'DirectModification', path: '/Metadata' });
  }
  // "CloudFormation sets the ChangeSource to Automatic because the nested stack's template might have changed."
  if (details.length === 0 && decl.type === 'AWS::CloudFormation::Stack') {
    details.push({ attribute: 'Properties', requiresRecreation: 'Never', evaluation: 'Dynamic', changeSource: 'Automatic' });
  }
  if (details.length === 0) return undefined;

  const replacement: Replacement = details.some((d) => d.requiresRecreation === 'Always' && d.evaluation === 'Static')
    ? 'True'
    : details.some((d) => d.requiresRecreation === 'Always')
      ? 'Conditional'
      : 'False';
  const replacePolicy = decl.updateReplacePolicy;
  return {
    action: 'Modify',
    logicalId: decl.logicalId,
    physicalId: resource.physicalId,
    resourceType: decl.type,
    replacement,
    scope: [...new Set(details.map((d) => d.attribute))],
    details,
    policyAction:
      replacement === 'False'
        ? undefined
        : replacePolicy === 'Retain'
          ? 'ReplaceAndRetain'
          : replacePolicy === 'Snapshot'
            ? 'ReplaceAndSnapshot'
            : 'ReplaceAndDelete',
    beforeContext: contextJson(before),
    afterContext: contextJson(after),
  };
}

/** The parameter behind a changed value, directly or through the conditions it uses. */
function parameterCause(raw: unknown, template: Template, seen = new Set<string>()): string | undefined {
  const refs = collectReferences(raw);
  const direct = [...refs.refs].find((r) => template.parameters.some((p) => p.key === r));
  if (direct) return direct;
  for (const condition of refs.conditions) {
    if (seen.has(condition)) continue;
    seen.add(condition);
    const found = parameterCause(template.conditions[condition], template, seen);
    if (found) return found;
  }
  return undefined;
}

/** `Res.Arn` for a GetAtt, `Res` for a Ref, as CloudFormation names the causing entity. */
function causingEntityOf(raw: unknown, unknown: Unknown): string {
  const refs = collectReferences(raw);
  if (refs.getAtts.has(unknown.cause)) {
    const attribute = findGetAttAttribute(raw, unknown.cause);
    if (attribute) return `${unknown.cause}.${attribute}`;
  }
  return unknown.cause;
}

function findGetAttAttribute(raw: unknown, target: string): string | undefined {
  if (Array.isArray(raw)) {
    for (const item of raw) {
      const found = findGetAttAttribute(item, target);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[0] === target && typeof getAtt[1] === 'string') return getAtt[1];
  if (typeof getAtt === 'string' && getAtt.startsWith(`${target}.`)) return getAtt.slice(target.length + 1);
  for (const child of Object.values(record)) {
    const found = findGetAttAttribute(child, target);
    if (found) return found;
  }
  return undefined;
}

function valuesOf(before: Resolved | undefined, after: Resolved | undefined): Pick<ChangeDetail, 'beforeValue' | 'afterValue' | 'changeType'> {
  return {
    beforeValue: before === undefined ? undefined : textOf(before),
    afterValue: after === undefined || containsUnknown(after) ? undefined : textOf(after),
    changeType: before === undefined ? 'Add' : after === undefined ? 'Remove' : 'Modify',
  };
}

function textOf(value: Resolved): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function contextJson(properties: Record<string, Resolved>): string {
  return JSON.stringify({ Properties: properties }, (_key, value: unknown) => (value instanceof Unknown ? `{{changeSet:KNOWN_AFTER_APPLY}}` : value));
}
