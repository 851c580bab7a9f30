/**
 * The bench's third party: an "admin" access key that sets the stage between rounds (creates the
 * stacks an update scenario starts from, deletes what a round left) and is charged to neither
 * tool. It moves the simulator's clock forward instead of waiting, so set-up costs no real time;
 * the rounds themselves run at real speed.
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { CfnSim } from '../tools/cfn-sim/index';

export const ADMIN_KEY = 'bench-admin';
/** Simulated seconds per step while waiting for set-up work; no step of the bench's templates is longer. */
const STEP_SECONDS = 10;
const MAX_STEPS = 200;

export class BenchAdmin {
  private readonly cfn: CloudFormationClient;

  constructor(private readonly sim: CfnSim) {
    this.cfn = new CloudFormationClient({ endpoint: sim.url, region: 'us-east-1', credentials: { accessKeyId: ADMIN_KEY, secretAccessKey: 'bench' } });
  }

  dispose(): void {
    this.cfn.destroy();
  }

  /** Creates the stack from `template` through a change set and moves time on until it is CREATE_COMPLETE. */
  async create(stackName: string, template: object): Promise<void> {
    const { Id } = await this.cfn.send(
      new CreateChangeSetCommand({ StackName: stackName, ChangeSetName: 'bench-setup', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify(template) }),
    );
    await this.until(
      async () => (await this.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).Status === 'CREATE_COMPLETE',
      `change set for ${stackName}`,
    );
    await this.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    await this.until(async () => (await this.describe(stackName))?.StackStatus === 'CREATE_COMPLETE', `${stackName} CREATE_COMPLETE`);
  }

  /** Deletes the stack if it exists, and moves time on until it is gone. */
  async remove(stackName: string): Promise<void> {
    const stack = await this.describe(stackName);
    if (!stack?.StackId) return;
    const id = stack.StackId;
    await this.cfn.send(new DeleteStackCommand({ StackName: id }));
    await this.until(async () => (await this.describe(id))?.StackStatus === 'DELETE_COMPLETE', `${stackName} deleted`);
  }

  private async describe(stackName: string): Promise<Stack | undefined> {
    try {
      return (await this.cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    } catch (error) {
      if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
      throw error;
    }
  }

  private async until(done: () => Promise<boolean>, what: string): Promise<void> {
    for (let step = 0; step < MAX_STEPS; step++) {
      if (await done()) return;
      this.sim.advance(STEP_SECONDS);
    }
    throw new Error(`bench set-up: ${what} did not happen within ${MAX_STEPS * STEP_SECONDS} simulated seconds`);
  }
}
