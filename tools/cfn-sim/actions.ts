/**
 * One handler per CloudFormation action: read the form parameters, call the engine, shape the
 * result the way the `…Result` element of the real API is shaped.
 */
import type { ChangeDetail, ResourceChange } from './diff';
import { requiredCapabilities } from './capabilities';
import type { Engine } from './engine';
import { validationError } from './errors';
import type { ChangeSet, SimResource, Stack, StackEvent } from './model';
import { displayValue, type ParameterInput } from './parameters';
import { boolParam, listParam, optional, required, structListParam, type FormParams } from './protocol';
import type { SimSettings } from './settings';
import { getTemplate } from './getTemplate';
import { parseTemplate } from './template';
import { changeSetOptionsFrom, changeSetOptionsXml } from './deploymentConfig';
import { OPERATION_EVENT_ACTIONS } from './describeEvents';
import { hookEventXml } from './hooks';
import type { XmlObject } from './xml';

export interface ActionContext {
  engine: Engine;
  eventsPageSize: number;
  changesPageSize: number;
}

/** `undefined` for actions whose output is Unit (no `…Result` element at all). */
type Handler = (params: FormParams, ctx: ActionContext) => XmlObject | undefined;

export const ACTIONS: Record<string, Handler> = {
  ...OPERATION_EVENT_ACTIONS,
  CreateChangeSet(params, { engine }) {
    const type = optional(params, 'ChangeSetType') ?? 'UPDATE';
    if (type !== 'CREATE' && type !== 'UPDATE') {
      throw validationError(`ChangeSetType ${type} is not supported by cfn-sim (use CREATE or UPDATE)`);
    }
    const tags = structListParam(params, 'Tags').map((t) => ({ key: t['Key'] ?? '', value: t['Value'] ?? '' }));
    const result = engine.createChangeSet({
      stackName: required(params, 'StackName'),
      changeSetName: required(params, 'ChangeSetName'),
      type,
      templateBody: params['TemplateBody'],
      templateUrl: optional(params, 'TemplateURL'),
      usePreviousTemplate: boolParam(params, 'UsePreviousTemplate') ?? false,
      parameters: parameterInputs(params),
      capabilities: listParam(params, 'Capabilities').filter((c) => c !== ''),
      tags: 'Tags' in params || tags.length > 0 ? tags : undefined,
      clientToken: optional(params, 'ClientToken'),
      description: optional(params, 'Description'),
      includeNestedStacks: boolParam(params, 'IncludeNestedStacks') ?? false,
      options: changeSetOptionsFrom(params, type),
      deploymentMode: deploymentMode(optional(params, 'DeploymentMode')),
    });
    return { Id: result.id, StackId: result.stackId };
  },

  DescribeChangeSet(params, { engine, changesPageSize }) {
    engine.sync();
    const { stack, changeSet } = engine.findChangeSet(required(params, 'ChangeSetName'), optional(params, 'StackName'));
    const visible = changeSet.status === 'CREATE_COMPLETE' ? changeSet.changes : [];
    const start = decodeOffset(optional(params, 'NextToken'));
    const page = visible.slice(start, start + changesPageSize);
    const next = start + changesPageSize < visible.length ? encodeOffset(start + changesPageSize) : undefined;
    return {
      ChangeSetName: changeSet.name,
      ChangeSetId: changeSet.id,
      StackId: stack.id,
      StackName: stack.name,
      Description: changeSet.description,
      Parameters: changeSetParameters(changeSet),
      CreationTime: new Date(changeSet.creationTime),
      ExecutionStatus: changeSet.executionStatus,
      Status: changeSet.status,
      StatusReason: changeSet.statusReason,
      NotificationARNs: [],
      RollbackConfiguration: {},
      Capabilities: changeSet.deployment.capabilities,
      Tags: tagsXml(changeSet.deployment.tags),
      Changes: page.map((c) => changeXml(c, boolParam(params, 'IncludePropertyValues') ?? false)),
      NextToken: next,
      IncludeNestedStacks: changeSet.includeNestedStacks ?? false,
      ParentChangeSetId: changeSet.parentChangeSetId,
      RootChangeSetId: changeSet.rootChangeSetId,
      DeploymentMode: changeSet.deploymentMode,
      ...changeSetOptionsXml(changeSet),
    };
  },

  ExecuteChangeSet(params, { engine }) {
    engine.executeChangeSet(
      required(params, 'ChangeSetName'),
      optional(params, 'StackName'),
      optional(params, 'ClientRequestToken'),
      boolParam(params, 'DisableRollback') ?? false,
    );
    return {};
  },

  DeleteChangeSet(params, { engine }) {
    engine.deleteChangeSet(required(params, 'ChangeSetName'), optional(params, 'StackName'));
    return {};
  },

  ListChangeSets(params, { engine }) {
    engine.sync();
    const stack = engine.requireStack(required(params, 'StackName'), 'brackets');
    return {
      Summaries: stack.changeSets.map((c) => ({
        StackId: stack.id,
        StackName: stack.name,
        ChangeSetId: c.id,
        ChangeSetName: c.name,
        ExecutionStatus: c.executionStatus,
        Status: c.status,
        StatusReason: c.statusReason,
        CreationTime: new Date(c.creationTime),
        Description: c.description,
        IncludeNestedStacks: c.includeNestedStacks ?? false,
        ParentChangeSetId: c.parentChangeSetId,
        RootChangeSetId: c.rootChangeSetId,
      })),
    };
  },

  DescribeStacks(params, { engine }) {
    engine.sync();
    const name = optional(params, 'StackName');
    const stacks = name === undefined ? engine.liveStacks() : [engine.requireStack(name)];
    return { Stacks: stacks.map((s) => stackXml(s, engine.settings.echoOperationIds)) };
  },

  ListStacks(params, { engine }) {
    engine.sync();
    const filter = new Set(listParam(params, 'StackStatusFilter').filter((s) => s !== ''));
    const stacks = [...engine.allStacks()].reverse().filter((s) => filter.size === 0 || filter.has(s.status));
    return {
      StackSummaries: stacks.map((s) => ({
        StackId: s.id,
        StackName: s.name,
        TemplateDescription: s.deployment?.template.description,
        CreationTime: new Date(s.creationTime),
        LastUpdatedTime: dateOf(s.lastUpdatedTime),
        DeletionTime: dateOf(s.deletionTime),
        StackStatus: s.status,
        StackStatusReason: s.reason,
        ParentId: s.parentId,
        RootId: s.rootId,
        DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      })),
    };
  },

  DescribeStackEvents(params, { engine, eventsPageSize }) {
    engine.sync();
    const stack = engine.requireStack(required(params, 'StackName'), 'brackets');
    // The token counts from the oldest event, so pages stay stable while new events arrive.
    const token = optional(params, 'NextToken');
    const end = token === undefined ? stack.events.length : decodeEventToken(token, stack);
    const start = Math.max(0, end - eventsPageSize);
    const page = stack.events.slice(start, end).reverse();
    return {
      StackEvents: page.map((e) => eventXml(stack, e, engine.settings)),
      NextToken: start > 0 ? encodeEventToken(stack, start) : undefined,
    };
  },

  DescribeStackResources(params, { engine }) {
    engine.sync();
    const stack = stackForResources(engine, params);
    const logicalId = optional(params, 'LogicalResourceId');
    const resources = [...stack.resources.values()].filter((r) => logicalId === undefined || r.logicalId === logicalId);
    return {
      StackResources: resources.map((r) => ({
        StackName: stack.name,
        StackId: stack.id,
        LogicalResourceId: r.logicalId,
        PhysicalResourceId: r.physicalId,
        ResourceType: r.type,
        Timestamp: new Date(r.timestamp),
        ResourceStatus: r.status,
        ResourceStatusReason: r.reason,
        DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
      })),
    };
  },

  DescribeStackResource(params, { engine }) {
    engine.sync();
    const stack = engine.requireStack(required(params, 'StackName'));
    const logicalId = required(params, 'LogicalResourceId');
    const resource = stack.resources.get(logicalId);
    if (!resource) throw validationError(`Resource ${logicalId} does not exist for stack ${stack.name}`);
    return {
      StackResourceDetail: {
        StackName: stack.name,
        StackId: stack.id,
        LogicalResourceId: resource.logicalId,
        PhysicalResourceId: resource.physicalId,
        ResourceType: resource.type,
        LastUpdatedTimestamp: new Date(resource.timestamp),
        ResourceStatus: resource.status,
        ResourceStatusReason: resource.reason,
        Metadata: resource.metadata === undefined ? undefined : JSON.stringify(resource.metadata),
        DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
      },
    };
  },

  ListStackResources(params, { engine }) {
    engine.sync();
    const stack = engine.requireStack(required(params, 'StackName'));
    return { StackResourceSummaries: [...stack.resources.values()].map(resourceSummaryXml) };
  },

  GetTemplate(params, { engine }) {
    return getTemplate(params, engine);
  },

  ValidateTemplate(params, { engine }) {
    const url = optional(params, 'TemplateURL');
    const body = params['TemplateBody'] ?? (url === undefined ? undefined : engine.fetchTemplate(url));
    if (body === undefined) throw validationError('Either Template URL or Template Body must be specified.');
    const template = parseTemplate(body);
    const needs = requiredCapabilities(template);
    return {
      Parameters: template.parameters.map((p) => ({ ParameterKey: p.key, DefaultValue: p.defaultValue, NoEcho: p.noEcho, Description: p.description })),
      Description: template.description,
      Capabilities: needs.capabilities,
      CapabilitiesReason: needs.reason,
      DeclaredTransforms: template.transforms,
    };
  },

  DeleteStack(params, { engine }) {
    const mode = optional(params, 'DeletionMode') ?? 'STANDARD';
    if (mode !== 'STANDARD' && mode !== 'FORCE_DELETE_STACK') {
      throw validationError(
        `1 validation error detected: Value '${mode}' at 'deletionMode' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, FORCE_DELETE_STACK]`,
      );
    }
    engine.deleteStack(required(params, 'StackName'), optional(params, 'ClientRequestToken'), mode === 'FORCE_DELETE_STACK');
    return undefined;
  },

  CancelUpdateStack(params, { engine }) {
    engine.cancelUpdateStack(required(params, 'StackName'), optional(params, 'ClientRequestToken'));
    return undefined;
  },

  ContinueUpdateRollback(params, { engine }) {
    const skip = listParam(params, 'ResourcesToSkip').filter((s) => s !== '');
    engine.continueUpdateRollback(required(params, 'StackName'), skip, optional(params, 'ClientRequestToken'));
    return {};
  },

  RollbackStack(params, { engine }) {
    const stack = engine.rollbackStack(required(params, 'StackName'), optional(params, 'ClientRequestToken'));
    return { StackId: stack.id, OperationId: stack.lastOperations[0]?.id };
  },
};

// ---------- shapes ----------

function deploymentMode(value: string | undefined): 'REVERT_DRIFT' | undefined {
  if (value === undefined || value === 'REVERT_DRIFT') return value;
  throw validationError(
    `1 validation error detected: Value '${value}' at 'deploymentMode' failed to satisfy constraint: Member must satisfy enum value set: [REVERT_DRIFT]`,
  );
}

function parameterInputs(params: FormParams): ParameterInput[] {
  return structListParam(params, 'Parameters').map((p) => ({
    key: p['ParameterKey'] ?? '',
    value: p['ParameterValue'],
    usePrevious: p['UsePreviousValue'] === 'true',
  }));
}

function changeSetParameters(changeSet: ChangeSet): XmlObject[] {
  const declared = new Map(changeSet.deployment.template.parameters.map((p) => [p.key, p]));
  return [...changeSet.deployment.params].map(([key, value]) => ({ ParameterKey: key, ParameterValue: displayValue(declared.get(key), value) }));
}

function tagsXml(tags: readonly { key: string; value: string }[]): XmlObject[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

function changeXml(change: ResourceChange, withValues: boolean): XmlObject {
  return {
    Type: 'Resource',
    ResourceChange: {
      PolicyAction: change.policyAction,
      Action: change.action,
      LogicalResourceId: change.logicalId,
      PhysicalResourceId: change.physicalId,
      ResourceType: change.resourceType,
      Replacement: change.replacement,
      Scope: change.scope,
      ChangeSetId: change.changeSetId,
      ResourceDriftStatus: change.resourceDriftStatus,
      Details: change.details.map((d) => detailXml(d, withValues)),
      BeforeContext: withValues ? change.beforeContext : undefined,
      AfterContext: withValues ? change.afterContext : undefined,
    },
  };
}

function detailXml(detail: ChangeDetail, withValues: boolean): XmlObject {
  return {
    Target: {
      Attribute: detail.attribute,
      Name: detail.name,
      RequiresRecreation: detail.requiresRecreation,
      Path: withValues ? detail.path : undefined,
      BeforeValue: withValues ? detail.beforeValue : undefined,
      AfterValue: withValues ? detail.afterValue : undefined,
      AttributeChangeType: withValues ? detail.changeType : undefined,
      BeforeValueFrom: withValues ? detail.beforeValueFrom : undefined,
      AfterValueFrom: withValues ? detail.afterValueFrom : undefined,
      Drift: withValues && detail.drift ? { PreviousValue: detail.drift.previous, ActualValue: detail.drift.actual } : undefined,
    },
    Evaluation: detail.evaluation,
    ChangeSource: detail.changeSource,
    CausingEntity: detail.causingEntity,
  };
}

function stackXml(stack: Stack, withOperations: boolean): XmlObject {
  const declared = new Map((stack.deployment?.template.parameters ?? []).map((p) => [p.key, p]));
  return {
    StackId: stack.id,
    StackName: stack.name,
    ChangeSetId: stack.lastChangeSetId,
    Description: stack.deployment?.template.description,
    Parameters: nonEmpty(
      [...(stack.deployment?.params ?? [])].map(([key, value]) => ({ ParameterKey: key, ParameterValue: displayValue(declared.get(key), value) })),
    ),
    CreationTime: new Date(stack.creationTime),
    DeletionTime: dateOf(stack.deletionTime),
    LastUpdatedTime: dateOf(stack.lastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    StackStatusReason: stack.reason,
    DisableRollback: stack.operation?.disableRollback ?? false,
    NotificationARNs: [],
    Capabilities: nonEmpty(stack.deployment?.capabilities ?? []),
    Outputs: nonEmpty(stack.outputs.map((o) => ({ OutputKey: o.key, OutputValue: o.value, Description: o.description, ExportName: o.exportName }))),
    Tags: tagsXml(stack.deployment?.tags ?? []),
    EnableTerminationProtection: false,
    ParentId: stack.parentId,
    RootId: stack.rootId,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    LastOperations: withOperations ? stack.lastOperations.map((o) => ({ OperationType: o.type, OperationId: o.id })) : undefined,
  };
}

function eventXml(stack: Stack, event: StackEvent, echo: Pick<SimSettings, 'echoEventTokens' | 'echoOperationIds'>): XmlObject {
  return {
    StackId: stack.id,
    EventId: event.eventId,
    StackName: stack.name,
    OperationId: echo.echoOperationIds ? event.operationId : undefined,
    LogicalResourceId: event.logicalId,
    PhysicalResourceId: event.physicalId,
    ResourceType: event.resourceType,
    Timestamp: new Date(event.timestamp),
    ResourceStatus: event.status,
    ResourceStatusReason: event.reason,
    ResourceProperties: event.properties,
    ClientRequestToken: echo.echoEventTokens ? event.token : undefined,
    ...hookEventXml(event, true),
    DetailedStatus: event.detailedStatus,
  };
}

function resourceSummaryXml(resource: SimResource): XmlObject {
  return {
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: new Date(resource.timestamp),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.reason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

function stackForResources(engine: Engine, params: FormParams): Stack {
  const stackName = optional(params, 'StackName');
  if (stackName !== undefined) return engine.requireStack(stackName);
  const physicalId = optional(params, 'PhysicalResourceId');
  if (physicalId === undefined) throw validationError('Either StackName or PhysicalResourceId must be specified.');
  const stack = engine.allStacks().find((s) => [...s.resources.values()].some((r) => r.physicalId === physicalId));
  if (!stack) throw validationError(`Stack for ${physicalId} does not exist`);
  return stack;
}

/** DescribeStacks leaves out Parameters, Capabilities and Outputs when a stack has none. */
function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length === 0 ? undefined : list;
}

function dateOf(time: number | undefined): Date | undefined {
  return time === undefined ? undefined : new Date(time);
}

// ---------- pagination tokens ----------

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

function decodeOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = readToken(token)['offset'];
  if (typeof offset !== 'number' || offset < 0) throw validationError('Invalid NextToken');
  return offset;
}

function encodeEventToken(stack: Stack, end: number): string {
  return Buffer.from(JSON.stringify({ stack: stack.id, end }), 'utf8').toString('base64');
}

function decodeEventToken(token: string, stack: Stack): number {
  const { stack: id, end } = readToken(token);
  if (id !== stack.id || typeof end !== 'number' || end < 0 || end > stack.events.length) throw validationError('Invalid NextToken');
  return end;
}

function readToken(token: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw validationError('Invalid NextToken');
}
