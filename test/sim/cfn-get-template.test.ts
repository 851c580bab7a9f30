/**
 * GetTemplate through the real SDK: the Original stage is the exact submitted body (comments,
 * CRLF and all), for a stack, a change set and a nested stack; the Processed stage is the body after
 * transforms; an unknown stage is refused as CloudFormation refuses it.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DescribeStackResourcesCommand, GetTemplateCommand, type CloudFormationClient, type TemplateStage } from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { clientFor, createChangeSetAndWait, deploy } from './support';

const BODY = '# the queue\r\nResources:\r\n  Queue:   # spaced out\r\n    Type: AWS::SQS::Queue\r\n';
const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
`;

describe('cfn-sim GetTemplate', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim);
  });
  after(async () => {
    cfn.destroy();
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('Original is the exact body of the stack and of a change set', async () => {
    await deploy(sim, cfn, 'app', BODY);
    const original = await cfn.send(new GetTemplateCommand({ StackName: 'app', TemplateStage: 'Original' }));
    assert.equal(original.TemplateBody, BODY);
    assert.deepEqual(original.StagesAvailable, ['Original', 'Processed']);
    const next = BODY.replace('# the queue', '# the queue, again').replace('AWS::SQS::Queue', 'AWS::SQS::Queue\r\n    Properties: { DelaySeconds: 5 }');
    const made = await createChangeSetAndWait(sim, cfn, { StackName: 'app', ChangeSetName: 'next', TemplateBody: next });
    assert.equal((await cfn.send(new GetTemplateCommand({ ChangeSetName: made.ChangeSetId }))).TemplateBody, next);
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'app', ChangeSetName: 'next', TemplateStage: 'Original' }))).TemplateBody, next);
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'app' }))).TemplateBody, BODY, 'the stack keeps its deployed template');
  });

  it('Processed is the body itself without transforms, and JSON after a transform; unknown stages are refused', async () => {
    await deploy(sim, cfn, 'plain', BODY);
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'plain', TemplateStage: 'Processed' }))).TemplateBody, BODY);
    await deploy(sim, cfn, 'sam', SAM, { capabilities: ['CAPABILITY_AUTO_EXPAND'] });
    const processed = await cfn.send(new GetTemplateCommand({ StackName: 'sam', TemplateStage: 'Processed' }));
    assert.deepEqual(JSON.parse(processed.TemplateBody ?? ''), { Transform: 'AWS::Serverless-2016-10-31', Resources: { Queue: { Type: 'AWS::SQS::Queue' } } });
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'sam', TemplateStage: 'Original' }))).TemplateBody, SAM);
    await assert.rejects(
      cfn.send(new GetTemplateCommand({ StackName: 'sam', TemplateStage: 'Expanded' as TemplateStage })),
      /Value 'Expanded' at 'templateStage' failed to satisfy constraint/,
    );
  });

  it('a nested stack’s template is the object its TemplateURL named', async () => {
    const child = 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic # child\n';
    const url = sim.putObject('tpl', 'child.yaml', child);
    await deploy(sim, cfn, 'parent', `Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: "${url}" }\n`);
    const childId = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'parent' }))).StackResources?.[0]?.PhysicalResourceId;
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: childId }))).TemplateBody, child);
  });
});
