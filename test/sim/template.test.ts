/**
 * Template evaluation in cfn-sim: intrinsic functions, conditions, mappings and exports,
 * resolved over parameters and physical IDs, as seen in outputs and change sets.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DescribeStackEventsCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { clientFor, createChangeSetAndWait, deploy } from './support';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: { Type: String, Default: prod, AllowedValues: [dev, prod] }
  Subnets: { Type: CommaDelimitedList, Default: 'a,b,c' }
Mappings:
  Sizes:
    prod: { Memory: 1024 }
    dev: { Memory: 128 }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  ProdAndTrue: !And [!Condition IsProd, !Equals [x, x]]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub '\${AWS::StackName}-fn'
      MemorySize: !FindInMap [Sizes, !Ref Env, Memory]
      Description: !If [IsDev, development, !Ref AWS::NoValue]
  DevOnly:
    Type: AWS::SQS::Queue
    Condition: IsDev
  Api:
    Type: AWS::ApiGateway::RestApi
Outputs:
  Sub:
    Value: !Sub '\${AWS::Region}/\${AWS::AccountId}/\${AWS::StackName}/\${AWS::URLSuffix}/\${AWS::Partition}/\${Env}/\${Fn.Arn}/\${!Literal}'
  SubVars:
    Value: !Sub ['\${A}-\${B}', { A: !Ref Env, B: !Select [1, !Ref Subnets] }]
  Join:
    Value: !Join ['|', !Ref Subnets]
  Split:
    Value: !Select [2, !Split ['/', 'a/b/c']]
  If:
    Value: !If [ProdAndTrue, 'yes', 'no']
  Base64:
    Value: !Base64 hello
  Map:
    Value: !FindInMap [Sizes, dev, Memory]
  Azs:
    Value: !Join [',', !GetAZs '']
  Root:
    Value: !GetAtt Api.RootResourceId
  Cidr:
    Value: !Select [1, !Cidr ['10.0.0.0/16', 4, 8]]
  List:
    Value: !Ref Subnets
  DevOnly:
    Condition: IsDev
    Value: !Ref DevOnly
  Exported:
    Value: !Ref Fn
    Export:
      Name: !Sub '\${AWS::StackName}-fn'
`;

describe('cfn-sim template evaluation', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim);
  });
  beforeEach(() => sim.reset());
  after(async () => {
    cfn.destroy();
    await sim.close();
  });

  it('resolves Ref, GetAtt, Sub (both forms), Join, Select, Split, If, FindInMap, Base64, GetAZs, Cidr and conditions', async () => {
    const stack = await deploy(sim, cfn, 'eval', TEMPLATE);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const outputs = Object.fromEntries(stack.Outputs?.map((o) => [o.OutputKey ?? '', o.OutputValue]) ?? []);
    const root = sim.stacks()[0].resources.find((r) => r.logicalId === 'Api')!;
    assert.match(root.physicalId ?? '', /^[a-z0-9]{10}$/);
    assert.deepEqual(outputs, {
      Sub: 'us-east-1/123456789012/eval/amazonaws.com/aws/prod/arn:aws:lambda:us-east-1:123456789012:function:eval-fn/${Literal}',
      SubVars: 'prod-b',
      Join: 'a|b|c',
      Split: 'c',
      If: 'yes',
      Base64: 'aGVsbG8=',
      Map: '128',
      Azs: 'us-east-1a,us-east-1b,us-east-1c',
      Root: outputs.Root,
      Cidr: '10.0.1.0/24',
      List: 'a,b,c',
      Exported: 'eval-fn',
    });
    assert.match(outputs.Root ?? '', /^[a-z0-9]{10}$/);
    assert.deepEqual(
      sim
        .stacks()[0]
        .resources.map((r) => r.logicalId)
        .sort(),
      ['Api', 'Fn'],
      'a resource whose condition is false is not created',
    );
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'eval' }))).StackEvents ?? [];
    const fnStart = events.find((e) => e.LogicalResourceId === 'Fn' && e.ResourceStatus === 'CREATE_IN_PROGRESS' && !e.ResourceStatusReason);
    assert.deepEqual(JSON.parse(fnStart?.ResourceProperties ?? '{}'), { FunctionName: 'eval-fn', MemorySize: 1024 }, 'AWS::NoValue removes the property');
  });

  it('a parameter change flips conditions: the change set adds the conditional resource and modifies what depends on the parameter', async () => {
    await deploy(sim, cfn, 'flip', TEMPLATE);
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'flip',
      ChangeSetName: 'dev',
      TemplateBody: TEMPLATE,
      Parameters: [
        { ParameterKey: 'Env', ParameterValue: 'dev' },
        { ParameterKey: 'Subnets', UsePreviousValue: true },
      ],
    });
    assert.equal(changeSet.Status, 'CREATE_COMPLETE', changeSet.StatusReason);
    const changes = changeSet.Changes?.map((c) => c.ResourceChange);
    assert.deepEqual(
      changes?.map((c) => `${c?.Action} ${c?.LogicalResourceId} ${c?.Replacement ?? '-'}`),
      ['Modify Fn False', 'Add DevOnly -'],
    );
    const details = changes?.[0]?.Details?.map((d) => `${d.Target?.Name} ${d.ChangeSource} ${d.CausingEntity ?? '-'}`);
    assert.deepEqual(details, ['MemorySize ParameterReference Env', 'Description ParameterReference Env']);
  });

  it('Fn::ImportValue reads another stack’s export; a missing export fails the change set', async () => {
    await deploy(sim, cfn, 'producer', TEMPLATE);
    const consumer = `Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub ['\${Fn}-queue', { Fn: !ImportValue producer-fn }]
Outputs:
  Name:
    Value: !GetAtt Q.QueueName
`;
    const stack = await deploy(sim, cfn, 'consumer', consumer);
    assert.equal(stack.Outputs?.[0]?.OutputValue, 'producer-fn-queue');
    const missing = await createChangeSetAndWait(sim, cfn, {
      StackName: 'orphan',
      ChangeSetName: 'x',
      ChangeSetType: 'CREATE',
      TemplateBody: consumer.replace('producer-fn', 'nobody-fn'),
    });
    assert.equal(missing.Status, 'FAILED');
    assert.equal(missing.StatusReason, 'No export named nobody-fn found');
  });

  it('a template error found while computing the change set fails it with the reason', async () => {
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'badmap',
      ChangeSetName: 'x',
      ChangeSetType: 'CREATE',
      TemplateBody: 'Mappings:\n  M: { a: { b: c } }\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: !FindInMap [M, a, zzz] }\n',
    });
    assert.equal(changeSet.Status, 'FAILED');
    assert.equal(changeSet.StatusReason, 'Template error: Unable to get mapping for M::a::zzz');
    assert.equal(changeSet.ExecutionStatus, 'UNAVAILABLE');
  });

  it('a custom-named resource cannot be replaced under the same name', async () => {
    const v1 = 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: jobs, FifoQueue: false }\n';
    await deploy(sim, cfn, 'named', v1);
    const stack = await deploy(
      sim,
      cfn,
      'named',
      v1.replace('FifoQueue: false', 'FifoQueue: true, ContentBasedDeduplication: true').replace('QueueName: jobs', 'QueueName: jobs.fifo'),
      { update: true },
    );
    assert.equal(stack.StackStatus, 'UPDATE_COMPLETE', 'a new name makes the replacement possible');
    const same = await deploy(
      sim,
      cfn,
      'named',
      v1.replace('QueueName: jobs', 'QueueName: jobs.fifo').replace('FifoQueue: false', 'FifoQueue: false, DelaySeconds: 1'),
      { update: true, token: 'tok-same' },
    );
    assert.equal(same.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const failure = ((await cfn.send(new DescribeStackEventsCommand({ StackName: 'named' }))).StackEvents ?? []).find(
      (e) => e.ResourceStatus === 'UPDATE_FAILED',
    );
    assert.match(
      failure?.ResourceStatusReason ?? '',
      /^CloudFormation cannot update a stack when a custom-named resource requires replacing\. Rename .*jobs\.fifo and update the stack again\.$/,
    );
  });
});
