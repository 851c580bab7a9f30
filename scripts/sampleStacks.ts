/**
 * What the sample's scenarios find in the simulated account, the same for `npm start` and the
 * e2e scenarios: a stack left in ROLLBACK_COMPLETE (consent and recreate), and resources made
 * outside any stack (the early-validation scenario's name conflicts).
 */
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import type { CfnSim } from '../tools/cfn-sim/index';

/** Named as sample/scenarios/validation.yaml names its bucket and queue, so early validation refuses them. */
export const SAMPLE_EXISTING_RESOURCES = [
  { type: 'AWS::S3::Bucket', identifier: 'orders-archive' },
  { type: 'AWS::SQS::Queue', identifier: 'orders-work' },
];

export async function seedBrokenStack(sim: CfnSim, stackName: string): Promise<void> {
  const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: sim.url, credentials: { accessKeyId: 'seed', secretAccessKey: 'seed' } });
  try {
    const body = 'Resources:\n  Orders:\n    Type: AWS::DynamoDB::Table\n    Metadata:\n      Stackwatch:\n        Fail: "Table already exists: orders"\n';
    const created = await cfn.send(new CreateChangeSetCommand({ StackName: stackName, ChangeSetName: 'seed', ChangeSetType: 'CREATE', TemplateBody: body }));
    sim.advance(10);
    await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }));
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
    sim.advance(60);
    const status = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0]?.StackStatus;
    if (status !== 'ROLLBACK_COMPLETE') throw new Error(`the seeded stack ${stackName} ended ${status}, not ROLLBACK_COMPLETE`);
  } finally {
    cfn.destroy();
  }
}
