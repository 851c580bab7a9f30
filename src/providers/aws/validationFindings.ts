/**
 * Early validation: CloudFormation checks a change set before it can run (property syntax against
 * the schemas, name conflicts with live resources, bucket emptiness, quotas). A check in FAIL mode
 * ends the change set FAILED with "The following hook(s)/validation failed:
 * [AWS::EarlyValidation::PropertyValidation]. To troubleshoot Early Validation errors, use the
 * DescribeEvents API for detailed failure information."; WARN-mode checks leave it ready. The
 * details are only in DescribeEvents (StackName + ChangeSetName, FailedEvents): VALIDATION_ERROR
 * events with ValidationName, ValidationStatusReason, ValidationPath and ValidationFailureMode.
 *
 * Each becomes a TemplateFinding. The read is best effort: without DescribeEvents, or when it
 * fails, the change set's own reason stands and nothing else changes. A ready change set's
 * warnings are read once per change set in this window.
 */
import * as l10n from '@vscode/l10n';
import type { OperationEvent } from '@aws-sdk/client-cloudformation';
import type { DeploymentOptionValues, DescribeStagedResult, TemplateFinding } from '../provider';
import { begin, within } from './boundedReads';
import type { AwsContext } from './context';
import { AWS_OPTION_IDS } from './deploymentOptions';
import { readFailedEvents } from './operationEvents';

/** The StatusReason of a change set that early validation failed. */
export function isEarlyValidationFailure(reason: string | undefined): boolean {
  return reason !== undefined && /AWS::EarlyValidation/.test(reason);
}

export function toFinding(event: OperationEvent): TemplateFinding {
  return {
    severity: event.ValidationFailureMode === 'WARN' ? 'warning' : 'error',
    message: event.ValidationStatusReason ?? event.ResourceStatusReason ?? l10n.t('The change set failed validation.'),
    ...(event.LogicalResourceId ? { logicalId: event.LogicalResourceId } : {}),
    ...(event.ValidationPath ? { path: event.ValidationPath } : {}),
    ...(event.ValidationName ? { check: event.ValidationName } : {}),
  };
}

/** Findings read in this window, by change set: a ready change set is described more than once. */
const findingsByContext = new WeakMap<AwsContext, Map<string, TemplateFinding[]>>();

/**
 * The change set's validation findings, or undefined when they could not be read. Read once per
 * change set in this window: later calls answer what was read, and a read that did not finish
 * (the caller's deadline passed first) is not begun again, so the change set's own reason stands.
 */
export async function readValidationFindings(
  ctx: AwsContext,
  stackName: string,
  changeSetName: string,
  signal: AbortSignal,
): Promise<TemplateFinding[] | undefined> {
  const key = `${stackName}|${changeSetName}`;
  const known = findingsByContext.get(ctx)?.get(key);
  if (known) return known;
  if (!begin(ctx, `findings:${key}`)) return undefined;
  let events: OperationEvent[] | undefined;
  try {
    events = await within(signal, (bounded) => readFailedEvents(ctx, { stackName, changeSetName }, bounded));
  } catch {
    return undefined;
  }
  if (events === undefined) return undefined;
  const findings = events.filter((e) => e.EventType === 'VALIDATION_ERROR').map(toFinding);
  let byKey = findingsByContext.get(ctx);
  if (!byKey) findingsByContext.set(ctx, (byKey = new Map<string, TemplateFinding[]>()));
  byKey.set(key, findings);
  return findings;
}

/** What a name conflict's finding adds when the change set was made without ImportExistingResources. */
export function importExistingHint(): string {
  return l10n.t('Turn on “Import existing resources” in the deployment options to adopt it instead.');
}

/** Findings that already end with the hint, so it is never added twice (known by the object, not by its words). */
const hinted = new WeakSet<TemplateFinding>();

/**
 * Change sets staged in this window without ImportExistingResources, by ID. Only these get the
 * hint: with it on (or not known, after a reload) a conflict is one importing cannot resolve.
 */
const stagedWithoutImport = new WeakMap<AwsContext, Set<string>>();

/** Staging notes the options a change set was made with (StageRequest.options). */
export function noteStagedOptions(ctx: AwsContext, changeSetId: string, options: DeploymentOptionValues | undefined): void {
  if (options?.[AWS_OPTION_IDS.importExisting] === true) return;
  let ids = stagedWithoutImport.get(ctx);
  if (!ids) stagedWithoutImport.set(ctx, (ids = new Set<string>()));
  ids.add(changeSetId);
}

/** Early validation's "already exists" check (ValidationName, or the hook that ran it). */
function isNameConflict(finding: TemplateFinding): boolean {
  return finding.check !== undefined && /NAME_CONFLICT|ResourceExistence/i.test(finding.check);
}

/** Name conflicts end with how to adopt the existing resource, when importing was off for this change set. */
export function withImportHint(ctx: AwsContext, changeSetId: string, findings: TemplateFinding[]): TemplateFinding[] {
  if (stagedWithoutImport.get(ctx)?.has(changeSetId) !== true) return findings;
  return findings.map((f) => {
    if (!isNameConflict(f) || hinted.has(f)) return f;
    const withHint = { ...f, message: `${f.message} ${importExistingHint()}` };
    hinted.add(withHint);
    return withHint;
  });
}

/** What the monitor says of a change set validation failed: how many problems, then each. */
export function validationFailureReason(findings: readonly TemplateFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error');
  const listed = errors.map((f) => (f.logicalId ? l10n.t('{0}: {1}', f.logicalId, f.message) : f.message)).join('; ');
  if (errors.length === 1)
    return listed ? l10n.t('The change set failed validation: 1 problem. {0}', listed) : l10n.t('The change set failed validation: 1 problem');
  return listed
    ? l10n.t('The change set failed validation: {0} problems. {1}', errors.length, listed)
    : l10n.t('The change set failed validation: {0} problems', errors.length);
}

/**
 * A described change set with what early validation found: a failed one's errors (its reason then
 * counts and lists them instead of naming the hook), a ready one's warnings, which never block.
 */
export async function withValidationFindings(
  ctx: AwsContext,
  described: DescribeStagedResult,
  stackName: string,
  changeSetName: string,
  signal: AbortSignal,
): Promise<DescribeStagedResult> {
  if (described.state === 'failed' && isEarlyValidationFailure(described.reason)) {
    const read = await readValidationFindings(ctx, stackName, changeSetName, signal);
    if (!read || read.length === 0) return described;
    const findings = withImportHint(ctx, changeSetName, read);
    const failedBy = findings.some((f) => f.severity === 'error');
    return { ...described, findings, ...(failedBy ? { reason: validationFailureReason(findings) } : {}) };
  }
  if (described.state === 'ready') {
    const warnings = (await readValidationFindings(ctx, stackName, changeSetName, signal))?.filter((f) => f.severity === 'warning');
    if (warnings && warnings.length > 0) return { ...described, findings: warnings };
  }
  return described;
}
