/**
 * Helpers for the simulator's own tests: a real SDK client pointed at the simulator, and ways to
 * drive simulated time until a stack settles. Tests run with speed 0 and move time by advance(),
 * so nothing depends on how fast the machine is.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type CloudFormationClientConfig,
  type CreateChangeSetCommandInput,
  type DescribeChangeSetCommandOutput,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { CfnSim } from '../../tools/cfn-sim/index';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function clientFor(sim: CfnSim, config: Partial<CloudFormationClientConfig> = {}): CloudFormationClient {
  return new CloudFormationClient({ endpoint: sim.url, region: 'us-east-1', credentials: CREDENTIALS, ...config });
}

export async function describeStack(cfn: CloudFormationClient, stackName: string): Promise<Stack> {
  const result = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  const stack = result.Stacks?.[0];
  if (!stack) throw new Error(`no stack ${stackName}`);
  return stack;
}

/** Advances simulated time a second at a time until the stack's status matches. */
export async function advanceUntil(sim: CfnSim, cfn: CloudFormationClient, stackName: string, status: RegExp, maxSeconds = 900): Promise<Stack> {
  for (let elapsed = 0; elapsed <= maxSeconds; elapsed++) {
    const stack = await describeStack(cfn, stackName);
    if (status.test(stack.StackStatus ?? '')) return stack;
    sim.advance(1);
  }
  const last = await describeStack(cfn, stackName);
  throw new Error(`${stackName} is ${last.StackStatus} (${last.StackStatusReason ?? ''}) after ${maxSeconds} simulated seconds, wanted ${status}`);
}

/** Settled: not in progress (REVIEW_IN_PROGRESS counts as settled). */
export const SETTLED = /^(?!.*_IN_PROGRESS$)|^REVIEW_IN_PROGRESS$/;

export async function createChangeSetAndWait(
  sim: CfnSim,
  cfn: CloudFormationClient,
  input: CreateChangeSetCommandInput,
): Promise<DescribeChangeSetCommandOutput> {
  const { Id } = await cfn.send(new CreateChangeSetCommand(input));
  for (let i = 0; i < 60; i++) {
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    if (described.Status === 'CREATE_COMPLETE' || described.Status === 'FAILED') return described;
    sim.advance(1);
  }
  throw new Error(`change set ${Id} never finished`);
}

/** CREATE (or UPDATE) through a change set, executed with `token`, and advanced until settled. */
export async function deploy(
  sim: CfnSim,
  cfn: CloudFormationClient,
  stackName: string,
  templateBody: string,
  options: {
    update?: boolean;
    token?: string;
    parameters?: CreateChangeSetCommandInput['Parameters'];
    capabilities?: CreateChangeSetCommandInput['Capabilities'];
    disableRollback?: boolean;
  } = {},
): Promise<Stack> {
  const changeSet = await createChangeSetAndWait(sim, cfn, {
    StackName: stackName,
    ChangeSetName: `cs-${Math.random().toString(36).slice(2, 10)}`,
    ChangeSetType: options.update ? 'UPDATE' : 'CREATE',
    TemplateBody: templateBody,
    Parameters: options.parameters,
    Capabilities: options.capabilities,
  });
  if (changeSet.Status !== 'CREATE_COMPLETE') throw new Error(`change set ${changeSet.Status}: ${changeSet.StatusReason ?? ''}`);
  await cfn.send(
    new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId, ClientRequestToken: options.token, DisableRollback: options.disableRollback }),
  );
  return advanceUntil(sim, cfn, stackName, SETTLED);
}

/** Every event of the stack, oldest first, read page by page. */
export async function allEvents(cfn: CloudFormationClient, stackName: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: nextToken }));
    events.push(...(page.StackEvents ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return events.reverse();
}

/** `Logical STATUS [reason]` lines, for readable assertions on event order. */
export function eventLines(events: StackEvent[], options: { reasons?: boolean } = {}): string[] {
  return events.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}${options.reasons && e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : ''}`);
}
