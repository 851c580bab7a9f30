/**
 * A change set as the review's change list, nested change sets included: each change whose
 * ResourceChange names a ChangeSetId (a nested stack, with IncludeNestedStacks) is followed
 * depth-first, every page of it, and its rows follow their parent's row keyed "Parent/Child".
 * Values are masked with the secrets staging remembered (secretMask.ts).
 */
import * as l10n from '@vscode/l10n';
import { type Change as CfnChange, DescribeChangeSetCommand, type DescribeChangeSetCommandOutput } from '@aws-sdk/client-cloudformation';
import type { Change, DescribeStagedResult, StagedState } from '../provider';
import { statusText } from './changeSetStates';
import { toChange } from './changes';
import { type AwsContext, unreadableAnswer } from './context';
import { NO_SECRETS, SecretMasker, type SecretValues, withMaskedParameters } from './secretMask';
import { stagedStateOf } from './statusTables';

/**
 * How deep nested change sets are followed. CloudFormation documents no depth quota; real
 * templates nest a few levels, and the bound keeps a runaway tree from reading forever.
 */
export const MAX_NESTED_DEPTH = 10;
/** DescribeChangeSet calls one review may make across the whole tree, pages included. */
export const MAX_DESCRIBE_CALLS = 200;

export interface ChangeTreeRequest {
  stagedId: string;
  stackName: string;
  secrets?: SecretValues;
  signal: AbortSignal;
}

interface ReadChangeSet {
  state: StagedState;
  first: DescribeChangeSetCommandOutput;
  changes: CfnChange[];
}

interface Walk {
  ctx: AwsContext;
  secrets: SecretValues;
  signal: AbortSignal;
  callsLeft: number;
  rows: Change[];
}

export async function readChangeTree(ctx: AwsContext, req: ChangeTreeRequest): Promise<DescribeStagedResult> {
  const walk: Walk = { ctx, secrets: req.secrets ?? NO_SECRETS, signal: req.signal, callsLeft: MAX_DESCRIBE_CALLS, rows: [] };
  // The root is ready only when it can be executed; its state decides the review's.
  const root = await readChangeSet(walk, req.stagedId, req.stackName, (first) => stagedStateOf(first.Status, first.ExecutionStatus, first.StatusReason));
  const { first } = root;
  if (root.state !== 'ready') return { state: root.state, providerStatus: statusText(first), reason: first.StatusReason, changes: [] };
  const incomplete = await appendRows(walk, root, undefined, 0);
  if (incomplete) return { state: 'pending', providerStatus: statusText(first), reason: incomplete, changes: [] };
  return { state: 'ready', providerStatus: statusText(first), reason: first.StatusReason, changes: walk.rows };
}

/**
 * Every page of one change set, or only the first when it is not ready (its list means nothing
 * yet). `stateOf` judges it from the first page.
 */
async function readChangeSet(
  walk: Walk,
  changeSet: string,
  stackName: string | undefined,
  stateOf: (first: DescribeChangeSetCommandOutput) => StagedState,
): Promise<ReadChangeSet> {
  const changes: CfnChange[] = [];
  let first: DescribeChangeSetCommandOutput | undefined;
  let nextToken: string | undefined;
  do {
    walk.callsLeft--;
    const page = await walk.ctx.call('DescribeChangeSet', walk.signal, (c, o) =>
      c.send(new DescribeChangeSetCommand({ ChangeSetName: changeSet, StackName: stackName, NextToken: nextToken, IncludePropertyValues: true }), o),
    );
    if (!page.Status) throw unreadableAnswer('DescribeChangeSet', l10n.t('a change set without its status'));
    first ??= page;
    const state = stateOf(first);
    if (state !== 'ready') return { state, first, changes: [] };
    changes.push(...(page.Changes ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return { state: 'ready', first, changes };
}

/** A nested change set cannot be executed on its own: its Status alone says whether it is complete. */
function nestedStateOf(first: DescribeChangeSetCommandOutput): StagedState {
  return stagedStateOf(first.Status, 'AVAILABLE', first.StatusReason);
}

/**
 * Appends the change set's rows (and, after each nested stack's row, that stack's rows). Returns
 * a reason when a nested change set is still being created, so the review reads again later.
 */
async function appendRows(walk: Walk, changeSet: ReadChangeSet, parent: string | undefined, depth: number): Promise<string | undefined> {
  // Each stack's own NoEcho parameters show as "****" in its change set, even when this window forgot its secrets.
  const masker = new SecretMasker(withMaskedParameters(walk.secrets, changeSet.first.Parameters));
  for (const cfnChange of changeSet.changes) {
    const row = toChange(cfnChange, masker, parent);
    if (!row) continue;
    walk.rows.push(row);
    const nestedId = cfnChange.ResourceChange?.ChangeSetId;
    if (!nestedId) continue;
    if (depth + 1 > MAX_NESTED_DEPTH || walk.callsLeft <= 0) {
      const notListed =
        depth + 1 > MAX_NESTED_DEPTH
          ? l10n.t('Its own changes are not listed: it is nested deeper than {0} levels. See them in the console.', MAX_NESTED_DEPTH)
          : l10n.t('Its own changes are not listed: the review already read too many nested change sets. See them in the console.');
      row.details = [...(row.details ?? []), notListed];
      continue;
    }
    const nested = await readChangeSet(walk, nestedId, undefined, nestedStateOf);
    if (nested.state === 'pending') return l10n.t('The nested change set of {0} is still being created.', row.logicalId);
    if (nested.state === 'failed') {
      row.details = [
        ...(row.details ?? []),
        l10n.t('Its change set failed: {0}', nested.first.StatusReason ?? nested.first.Status ?? l10n.t('no reason given')),
      ];
      continue;
    }
    if (nested.state === 'empty') continue;
    const incomplete = await appendRows(walk, nested, row.logicalId, depth + 1);
    if (incomplete) return incomplete;
  }
  return undefined;
}
