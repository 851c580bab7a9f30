/**
 * Early validation inside nested stacks: with IncludeNestedStacks each nested stack gets its own
 * change set, validated on its own. When one fails, the root change set says only "Nested change
 * set <ARN> was not successfully created: Currently in FAILED."; the findings are the nested
 * change set's (DescribeEvents by its ARN, FailedEvents). They are keyed under the nested stack's
 * row ("Parent/Child", deeper: a chain), paths as reported, so they land in the nested template.
 *
 * Best effort like every findings read: a read that fails leaves the root's own reason standing.
 */
import { DescribeChangeSetCommand, type DescribeChangeSetCommandOutput } from '@aws-sdk/client-cloudformation';
import type { DescribeStagedResult, TemplateFinding } from '../provider';
import { begin, within } from './boundedReads';
import type { AwsContext } from './context';
import { isEarlyValidationFailure, readValidationFindings, validationFailureReason } from './validationFindings';

/** Nested change sets followed down at most this deep. */
export const MAX_NESTED_FINDINGS_DEPTH = 5;

const NESTED_CHANGE_SET_FAILED = /^Nested change set (arn:\S+?) was not successfully created/;

/** The failed nested change set a change set's StatusReason names, if any. */
export function failedNestedChangeSet(reason: string | undefined): string | undefined {
  return NESTED_CHANGE_SET_FAILED.exec(reason ?? '')?.[1];
}

/** Nested findings read in this window, by root change set: a failed one may be described again. */
const nestedFindingsByContext = new WeakMap<AwsContext, Map<string, TemplateFinding[]>>();

/**
 * A failed change set whose reason names a failed nested change set, with that one's findings
 * (its reason then counts and lists them). Read once per change set in this window, bounded.
 */
export async function withNestedValidationFindings(
  ctx: AwsContext,
  described: DescribeStagedResult,
  stackName: string,
  rootId: string,
  signal: AbortSignal,
): Promise<DescribeStagedResult> {
  if (described.state !== 'failed' || (described.findings?.length ?? 0) > 0 || !failedNestedChangeSet(described.reason)) return described;
  let byRoot = nestedFindingsByContext.get(ctx);
  let findings = byRoot?.get(rootId);
  if (!findings && begin(ctx, `nested-findings:${rootId}`)) {
    findings = await within(signal, (bounded) => readNestedFindings(ctx, rootId, stackName, described.reason, bounded)).catch(() => undefined);
    if (findings) {
      if (!byRoot) nestedFindingsByContext.set(ctx, (byRoot = new Map<string, TemplateFinding[]>()));
      byRoot.set(rootId, findings);
    }
  }
  if (!findings || findings.length === 0) return described;
  const failedBy = findings.some((f) => f.severity === 'error');
  return { ...described, findings, ...(failedBy ? { reason: validationFailureReason(findings) } : {}) };
}

/**
 * The findings of the nested change set that failed the root `rootId`, keyed under its row; undefined
 * when the reason names none, or a read failed, or the failed one holds no findings of its own.
 */
export async function readNestedFindings(
  ctx: AwsContext,
  rootId: string,
  stackName: string,
  reason: string | undefined,
  signal: AbortSignal,
): Promise<TemplateFinding[] | undefined> {
  let parent: DescribeChangeSetCommandOutput | undefined;
  let parentKey: string | undefined;
  let nestedId = failedNestedChangeSet(reason);
  try {
    parent = await ctx.describeChangeSet(rootId, stackName, signal);
    for (let depth = 0; nestedId && parent && depth < MAX_NESTED_FINDINGS_DEPTH; depth++) {
      const id: string = nestedId;
      const nested = await ctx.call('DescribeChangeSet', signal, (c, o) => c.send(new DescribeChangeSetCommand({ ChangeSetName: id }), o));
      const logicalId =
        parent.Changes?.find((c) => c.ResourceChange?.ChangeSetId === id)?.ResourceChange?.LogicalResourceId ??
        logicalIdFromName(nested.StackName, parent.StackName ?? (depth === 0 ? stackName : undefined));
      if (!logicalId) return undefined;
      const key = parentKey ? `${parentKey}/${logicalId}` : logicalId;
      if (isEarlyValidationFailure(nested.StatusReason)) {
        const findings = await readValidationFindings(ctx, nested.StackId ?? nested.StackName ?? '', id, signal);
        return findings?.map((f) => ({ ...f, logicalId: f.logicalId ? `${key}/${f.logicalId}` : key }));
      }
      // Failed further down: the same again, one level deeper.
      parent = nested;
      parentKey = key;
      nestedId = failedNestedChangeSet(nested.StatusReason);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * A failed change set lists no changes, so the nested stack's logical ID comes from its name:
 * CloudFormation names a nested stack "<parent stack>-<logical ID>-<12 random characters>".
 */
export function logicalIdFromName(childName: string | undefined, parentName: string | undefined): string | undefined {
  if (!childName || !parentName || !childName.startsWith(`${parentName}-`)) return undefined;
  const match = /^([A-Za-z0-9]+)-[A-Z0-9]{8,}$/.exec(childName.slice(parentName.length + 1));
  return match?.[1];
}
