/**
 * Early validation: CloudFormation checks a change set before it can be executed and, when a check
 * in FAIL mode finds something, ends it FAILED with "The following hook(s)/validation failed:
 * [AWS::EarlyValidation::…]. To troubleshoot Early Validation errors, use the DescribeEvents API for
 * detailed failure information." The details are VALIDATION_ERROR events of the change set's
 * CREATE_CHANGESET operation, seen only through DescribeEvents.
 *
 * The checks the simulator can make honestly (on values known when the change set is made; a value
 * that depends on a resource being created is not checked):
 *
 * | Check | Mode | ValidationName | Hook in StatusReason |
 * |---|---|---|---|
 * | S3 `BucketName` against the bucket naming rules (3–63 of a-z 0-9 . -, starts and ends alphanumeric, no "..", not an IP) | FAIL | PROPERTY_VALIDATION | AWS::EarlyValidation::PropertyValidation |
 * | SQS `VisibilityTimeout` 0–43200, `DelaySeconds` 0–900, `MessageRetentionPeriod` 60–1209600, `MaximumMessageSize` 1024–262144, integers | FAIL | PROPERTY_VALIDATION | AWS::EarlyValidation::PropertyValidation |
 * | A new resource's name (BucketName, QueueName, TopicName, TableName, FunctionName, …) already used by a live resource of that type in any stack of the simulator, or listed in the `existingResources` setting (unless ImportExistingResources imports it) | FAIL | NAME_CONFLICT_VALIDATION | AWS::EarlyValidation::ResourceExistenceCheck |
 * | Lambda `Runtime` that Lambda has deprecated (nodejs12.x, python3.7, go1.x, …) | WARN | PROPERTY_VALIDATION | (none: the change set stays CREATE_COMPLETE) |
 *
 * `DisableValidation: true` on CreateChangeSet skips them all. Sources: UG "Validate stack
 * deployments", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/validate-stack-deployments.html;
 * the StatusReason and the "Resource of type 'AWS::S3::Bucket' with identifier 'x' already exists."
 * reason as recorded in https://github.com/aws-cloudformation/rain/pull/744 and
 * https://github.com/aws/aws-cdk-cli/issues/1000. The property messages use the
 * "#/Property: failed validation constraint for keyword [pattern]" form of CloudFormation's schema errors.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeSetOptions } from './deploymentConfig';
import type { ResourceChange } from './diff';
import { isLive } from './diff';
import { markImports, type ExistingResource } from './existingResources';
import type { Resolved, Resolver } from './intrinsics';
import type { ChangeSet, Stack, Deployment } from './model';
import { namePropertyOf } from './resourceTypes';

export type ValidationName = 'PROPERTY_VALIDATION' | 'NAME_CONFLICT_VALIDATION';
export const PROPERTY_VALIDATION_HOOK = 'AWS::EarlyValidation::PropertyValidation';
export const RESOURCE_EXISTENCE_HOOK = 'AWS::EarlyValidation::ResourceExistenceCheck';

export interface ValidationFinding {
  name: ValidationName;
  hook: string;
  mode: 'FAIL' | 'WARN';
  logicalId: string;
  resourceType: string;
  /** JSON pointer into the template, e.g. /Resources/Bucket/Properties/BucketName. */
  path: string;
  reason: string;
}

export interface ValidationEvent {
  eventId: string;
  changeSetId: string;
  operationId: string;
  token?: string;
  timestamp: number;
  finding: ValidationFinding;
}

export interface ReviewInput {
  changes: readonly ResourceChange[];
  deployment: Deployment;
  /** Resolves the new template, with resources still to be created unknown. */
  resolver: Resolver;
  stack: Stack;
  allStacks: readonly Stack[];
  existing: readonly ExistingResource[];
  options: ChangeSetOptions;
}

const DEPRECATED_RUNTIMES = new Set([
  'nodejs',
  'nodejs4.3',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'nodejs16.x',
  'python2.7',
  'python3.6',
  'python3.7',
  'python3.8',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'dotnet6',
  'ruby2.5',
  'ruby2.7',
  'java8',
  'go1.x',
]);

const QUEUE_RANGES: Record<string, [number, number]> = {
  VisibilityTimeout: [0, 43200],
  DelaySeconds: [0, 900],
  MessageRetentionPeriod: [60, 1209600],
  MaximumMessageSize: [1024, 262144],
};

export function validateChangeSet(input: ReviewInput): ValidationFinding[] {
  if (input.options.disableValidation) return [];
  const findings: ValidationFinding[] = [];
  for (const change of input.changes) {
    if (change.action !== 'Add' && change.action !== 'Modify') continue;
    const decl = input.deployment.template.resources.get(change.logicalId);
    if (!decl) continue;
    const properties = reviewable(input.resolver, decl.properties);
    const at = (property: string): string => `/Resources/${decl.logicalId}/Properties/${property}`;
    const finding = (name: ValidationName, mode: 'FAIL' | 'WARN', property: string, reason: string): ValidationFinding => ({
      name,
      hook: name === 'NAME_CONFLICT_VALIDATION' ? RESOURCE_EXISTENCE_HOOK : PROPERTY_VALIDATION_HOOK,
      mode,
      logicalId: decl.logicalId,
      resourceType: decl.type,
      path: at(property),
      reason,
    });
    const schemaError = (property: string, detail: string): ValidationFinding =>
      finding('PROPERTY_VALIDATION', 'FAIL', property, `Properties validation failed for resource ${decl.logicalId} with message: #/${property}: ${detail}`);

    if (decl.type === 'AWS::S3::Bucket' && typeof properties['BucketName'] === 'string' && !isValidBucketName(properties['BucketName'])) {
      findings.push(schemaError('BucketName', 'failed validation constraint for keyword [pattern]'));
    }
    if (decl.type === 'AWS::SQS::Queue') {
      for (const [property, [min, max]] of Object.entries(QUEUE_RANGES)) {
        const value = properties[property];
        if (value === undefined || !isKnown(value)) continue;
        const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
        if (!Number.isInteger(n)) findings.push(schemaError(property, `expected type: Integer, found: ${typeof value === 'string' ? 'String' : 'JSONObject'}`));
        else if (n < min) findings.push(schemaError(property, 'failed validation constraint for keyword [minimum]'));
        else if (n > max) findings.push(schemaError(property, 'failed validation constraint for keyword [maximum]'));
      }
    }
    if (decl.type === 'AWS::Lambda::Function' && typeof properties['Runtime'] === 'string' && DEPRECATED_RUNTIMES.has(properties['Runtime'])) {
      const runtime = properties['Runtime'];
      const reason = `The runtime parameter of ${runtime} is deprecated and no longer supported for creating or updating functions.`;
      findings.push(finding('PROPERTY_VALIDATION', 'WARN', 'Runtime', reason));
    }
    const nameProperty = namePropertyOf(decl.type);
    const name = nameProperty === undefined ? undefined : properties[nameProperty];
    if (change.action === 'Add' && nameProperty !== undefined && typeof name === 'string' && isTaken(input, decl.type, decl.logicalId, nameProperty, name)) {
      findings.push(finding('NAME_CONFLICT_VALIDATION', 'FAIL', nameProperty, `Resource of type '${decl.type}' with identifier '${name}' already exists.`));
    }
  }
  return findings;
}

/**
 * What CreateChangeSet does once the changes are computed: Add becomes Import where
 * ImportExistingResources finds the resource, then the checks run. `failure` is the StatusReason.
 */
export function reviewChangeSet(
  input: Omit<ReviewInput, 'resolver'> & { changes: ResourceChange[]; resolverFor: (unknown: ReadonlySet<string>) => Resolver },
): { changes: ResourceChange[]; validation: ValidationFinding[]; failure?: string } {
  const pending = new Set(input.changes.filter((c) => c.action !== 'Remove').map((c) => c.logicalId));
  const resolver = input.resolverFor(pending);
  const changes = markImports(input.changes, input.deployment, resolver, input.existing, input.options);
  const validation = validateChangeSet({ ...input, changes, resolver });
  return { changes, validation, failure: earlyValidationFailure(validation) };
}

/** The change set's StatusReason when a FAIL-mode check found something. */
export function earlyValidationFailure(findings: readonly ValidationFinding[]): string | undefined {
  const hooks = [...new Set(findings.filter((f) => f.mode === 'FAIL').map((f) => f.hook))];
  if (hooks.length === 0) return undefined;
  return `The following hook(s)/validation failed: [${hooks.join(', ')}]. To troubleshoot Early Validation errors, use the DescribeEvents API for detailed failure information.`;
}

/** Called when the change set finishes computing: its findings become events from then on. */
export function recordValidationEvents(stack: Stack, changeSet: ChangeSet, at: number): void {
  const findings = changeSet.validation ?? [];
  if (findings.length === 0 || changeSet.operationId === undefined) return;
  const events = (stack.validationEvents ??= []);
  for (const finding of findings) {
    events.push({ eventId: randomUUID(), changeSetId: changeSet.id, operationId: changeSet.operationId, token: changeSet.clientToken, timestamp: at, finding });
  }
}

function isTaken(input: ReviewInput, type: string, logicalId: string, nameProperty: string, name: string): boolean {
  if (input.existing.some((e) => e.type === type && e.identifier === name) && !input.options.importExistingResources) return true;
  return input.allStacks.some(
    (stack) =>
      !stack.deleted &&
      [...stack.resources.values()].some(
        (r) => r.type === type && isLive(r) && r.properties[nameProperty] === name && !(stack === input.stack && r.logicalId === logicalId),
      ),
  );
}

function isValidBucketName(name: string): boolean {
  return (
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

/** Property values as far as they can be known now; unknown ones (or ones that fail to resolve) are left out. */
function reviewable(resolver: Resolver, properties: Record<string, unknown>): Record<string, Resolved> {
  const known: Record<string, Resolved> = {};
  for (const [key, value] of Object.entries(properties)) {
    try {
      const resolved = resolver.resolveProperties({ [key]: value })[key];
      if (resolved !== undefined && isKnown(resolved)) known[key] = resolved;
    } catch {
      // Errors in the template are found (and reported) elsewhere.
    }
  }
  return known;
}

function isKnown(value: Resolved): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
