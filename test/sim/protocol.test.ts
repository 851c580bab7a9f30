/**
 * cfn-sim's wire format, judged by the real SDK: every supported call round-trips, errors map to
 * the SDK's exception classes with CloudFormation's codes and messages, pagination works.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  ValidateTemplateCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { allEvents, clientFor, createChangeSetAndWait, deploy } from './support';

const rejectsWith = (name: string, message: string | RegExp) => (e: Error) => {
  assert.equal(e.name, name);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

describe('cfn-sim protocol', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0, eventsPageSize: 3, changesPageSize: 2, changeSetSeconds: 4 });
    cfn = clientFor(sim);
  });
  beforeEach(() => sim.reset());
  after(async () => {
    cfn.destroy();
    await sim.close();
  });

  it('CreateChangeSet → DescribeChangeSet goes CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE over changeSetSeconds', async () => {
    const template = `Description: A & B <demo>
Parameters:
  Secret:
    Type: String
    NoEcho: true
  Stage:
    Type: String
    Default: dev
Resources:
  A: { Type: AWS::SQS::Queue }
  B: { Type: AWS::SQS::Queue }
  C: { Type: AWS::SQS::Queue }
`;
    const created = await cfn.send(
      new CreateChangeSetCommand({
        StackName: 'proto',
        ChangeSetName: 'first',
        ChangeSetType: 'CREATE',
        TemplateBody: template,
        Parameters: [{ ParameterKey: 'Secret', ParameterValue: 's3cr3t' }],
        Capabilities: [],
        Tags: [{ Key: 'team', Value: 'a&b' }],
        Description: 'first <change>',
      }),
    );
    assert.match(created.Id ?? '', /^arn:aws:cloudformation:us-east-1:123456789012:changeSet\/first\/[0-9a-f-]{36}$/);
    assert.match(created.StackId ?? '', /^arn:aws:cloudformation:us-east-1:123456789012:stack\/proto\/[0-9a-f-]{36}$/);
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'first', StackName: 'proto' }));
      statuses.push(`${d.Status}/${d.ExecutionStatus}`);
      sim.advance(1);
    }
    assert.deepEqual(statuses, [
      'CREATE_PENDING/UNAVAILABLE',
      'CREATE_IN_PROGRESS/UNAVAILABLE',
      'CREATE_IN_PROGRESS/UNAVAILABLE',
      'CREATE_IN_PROGRESS/UNAVAILABLE',
      'CREATE_COMPLETE/AVAILABLE',
    ]);

    const page1 = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id }));
    assert.equal(page1.Description, 'first <change>');
    assert.equal(page1.StackName, 'proto');
    assert.equal(page1.StackId, created.StackId);
    assert.ok(page1.CreationTime instanceof Date);
    assert.deepEqual(page1.Parameters, [
      { ParameterKey: 'Secret', ParameterValue: '****' },
      { ParameterKey: 'Stage', ParameterValue: 'dev' },
    ]);
    assert.deepEqual(page1.Tags, [{ Key: 'team', Value: 'a&b' }]);
    assert.deepEqual(
      page1.Changes?.map((c) => c.ResourceChange?.LogicalResourceId),
      ['A', 'B'],
    );
    assert.ok(page1.NextToken);
    const page2 = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id, NextToken: page1.NextToken }));
    assert.deepEqual(
      page2.Changes?.map((c) => `${c.Type} ${c.ResourceChange?.Action} ${c.ResourceChange?.LogicalResourceId}`),
      ['Resource Add C'],
    );
    assert.equal(page2.NextToken, undefined);

    const stacks = await cfn.send(new DescribeStacksCommand({ StackName: 'proto' }));
    assert.equal(stacks.Stacks?.[0]?.StackStatus, 'REVIEW_IN_PROGRESS');
    assert.equal(stacks.Stacks?.[0]?.Parameters, undefined, 'nothing is deployed yet');
    const events = await cfn.send(new DescribeStackEventsCommand({ StackName: 'proto' }));
    assert.deepEqual(
      events.StackEvents?.map((e) => `${e.ResourceStatus} ${e.ResourceStatusReason}`),
      ['REVIEW_IN_PROGRESS User Initiated'],
    );

    const listed = await cfn.send(new ListChangeSetsCommand({ StackName: 'proto' }));
    assert.deepEqual(
      listed.Summaries?.map((s) => [s.ChangeSetName, s.ChangeSetId, s.Status, s.ExecutionStatus, s.StackName]),
      [['first', created.Id, 'CREATE_COMPLETE', 'AVAILABLE', 'proto']],
    );
    const template2 = await cfn.send(new GetTemplateCommand({ ChangeSetName: 'first', StackName: 'proto', TemplateStage: 'Original' }));
    assert.equal(template2.TemplateBody, template);
    assert.deepEqual(template2.StagesAvailable, ['Original', 'Processed']);

    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: created.Id }));
    await assert.rejects(
      cfn.send(new DescribeChangeSetCommand({ ChangeSetName: created.Id })),
      rejectsWith('ChangeSetNotFoundException', `ChangeSet [${created.Id}] does not exist`),
    );
    assert.deepEqual((await cfn.send(new ListChangeSetsCommand({ StackName: 'proto' }))).Summaries, []);
  });

  it('DescribeStacks, DescribeStackResources, DescribeStackResource, ListStackResources, ListStacks, GetTemplate after a deployment', async () => {
    const template = `{
  "Description": "json template",
  "Parameters": { "Name": { "Type": "String", "Default": "orders" }, "Token": { "Type": "String", "NoEcho": true, "Default": "x" } },
  "Resources": {
    "Fn": { "Type": "AWS::Lambda::Function", "Properties": { "FunctionName": { "Fn::Sub": "\${Name}-fn" } } },
    "Url": { "Type": "AWS::Lambda::Url", "Properties": { "TargetFunctionArn": { "Fn::GetAtt": ["Fn", "Arn"] }, "AuthType": "NONE" } }
  },
  "Outputs": {
    "FunctionUrl": { "Value": { "Fn::GetAtt": ["Url", "FunctionUrl"] }, "Description": "the <url>" },
    "FunctionName": { "Value": { "Ref": "Fn" }, "Export": { "Name": "orders-fn" } }
  }
}`;
    await deploy(sim, cfn, 'json-app', template, { token: 'tok' });
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'json-app' }))).Stacks ?? [];
    assert.equal(stack?.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack?.Description, 'json template');
    assert.deepEqual(stack?.Parameters, [
      { ParameterKey: 'Name', ParameterValue: 'orders' },
      { ParameterKey: 'Token', ParameterValue: '****' },
    ]);
    assert.equal(stack?.EnableTerminationProtection, false);
    assert.equal(stack?.LastOperations?.[0]?.OperationType, 'CREATE_STACK');
    const outputs = Object.fromEntries(stack?.Outputs?.map((o) => [o.OutputKey ?? '', o]) ?? []);
    assert.match(outputs.FunctionUrl?.OutputValue ?? '', /^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);
    assert.equal(outputs.FunctionUrl?.Description, 'the <url>');
    assert.deepEqual([outputs.FunctionName?.OutputValue, outputs.FunctionName?.ExportName], ['orders-fn', 'orders-fn']);
    // Looked up by stack ID as well as by name; with no name, every live stack.
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: stack?.StackId }))).Stacks?.[0]?.StackName, 'json-app');
    assert.equal((await cfn.send(new DescribeStacksCommand({}))).Stacks?.length, 1);

    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'json-app', LogicalResourceId: 'Url' }));
    assert.equal(resources.StackResources?.length, 1);
    assert.equal(resources.StackResources?.[0]?.PhysicalResourceId, 'arn:aws:lambda:us-east-1:123456789012:function:orders-fn');
    const byPhysical = await cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: 'orders-fn' }));
    assert.equal(byPhysical.StackResources?.[0]?.LogicalResourceId, 'Fn');
    const one = await cfn.send(new DescribeStackResourceCommand({ StackName: 'json-app', LogicalResourceId: 'Fn' }));
    assert.equal(one.StackResourceDetail?.ResourceStatus, 'CREATE_COMPLETE');
    assert.ok(one.StackResourceDetail?.LastUpdatedTimestamp instanceof Date);
    const summaries = await cfn.send(new ListStackResourcesCommand({ StackName: 'json-app' }));
    assert.deepEqual(
      summaries.StackResourceSummaries?.map((r) => `${r.LogicalResourceId} ${r.ResourceType} ${r.ResourceStatus}`),
      ['Fn AWS::Lambda::Function CREATE_COMPLETE', 'Url AWS::Lambda::Url CREATE_COMPLETE'],
    );
    const listed = await cfn.send(new ListStacksCommand({ StackStatusFilter: ['CREATE_COMPLETE'] }));
    assert.deepEqual(
      listed.StackSummaries?.map((s) => [s.StackName, s.TemplateDescription]),
      [['json-app', 'json template']],
    );
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'json-app', TemplateStage: 'Processed' }))).TemplateBody, template);
  });

  it('DescribeStackEvents pages newest first, with tokens that stay valid while events arrive', async () => {
    await deploy(sim, cfn, 'paged', 'Resources:\n  A: { Type: AWS::SQS::Queue }\n  B: { Type: AWS::SQS::Queue }\n');
    const first = await cfn.send(new DescribeStackEventsCommand({ StackName: 'paged' }));
    assert.equal(first.StackEvents?.length, 3);
    assert.equal(first.StackEvents?.[0]?.ResourceStatus, 'CREATE_COMPLETE');
    assert.equal(first.StackEvents?.[0]?.LogicalResourceId, 'paged');
    // New events arrive between pages: the next page continues where the first one stopped.
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'paged',
      ChangeSetName: 'more',
      TemplateBody: 'Resources:\n  A: { Type: AWS::SQS::Queue }\n',
    });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
    const second = await cfn.send(new DescribeStackEventsCommand({ StackName: 'paged', NextToken: first.NextToken }));
    const firstIds = new Set(first.StackEvents?.map((e) => e.EventId));
    assert.ok(second.StackEvents?.every((e) => !firstIds.has(e.EventId)));
    assert.ok(second.StackEvents!.at(-1)!.Timestamp! <= first.StackEvents.at(-1)!.Timestamp!);
    const all = await allEvents(cfn, 'paged');
    assert.equal(all[0]?.ResourceStatus, 'REVIEW_IN_PROGRESS');
    assert.deepEqual(
      all.slice(-3).map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`),
      ['paged UPDATE_IN_PROGRESS', 'paged UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'B DELETE_IN_PROGRESS'],
    );
    for (let i = 1; i < all.length; i++) assert.ok(all[i].Timestamp! >= all[i - 1].Timestamp!, 'oldest first after reversing');
    await assert.rejects(
      cfn.send(new DescribeStackEventsCommand({ StackName: 'paged', NextToken: 'garbage' })),
      rejectsWith('ValidationError', 'Invalid NextToken'),
    );
    await assert.rejects(cfn.send(new DescribeStackEventsCommand({ StackName: 'missing' })), rejectsWith('ValidationError', 'Stack [missing] does not exist'));
  });

  it('IncludePropertyValues fills before/after values and contexts', async () => {
    await deploy(sim, cfn, 'values', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { VisibilityTimeout: 30, DelaySeconds: 5 }\n');
    const plain = await createChangeSetAndWait(sim, cfn, {
      StackName: 'values',
      ChangeSetName: 'v2',
      TemplateBody: 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { VisibilityTimeout: 60 }\n',
    });
    assert.equal(plain.Changes?.[0]?.ResourceChange?.BeforeContext, undefined, 'values only on request');
    const changeSet = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: plain.ChangeSetId, IncludePropertyValues: true }));
    const change = changeSet.Changes?.[0]?.ResourceChange;
    assert.deepEqual(
      change?.Details?.map((d) => d.Target),
      [
        {
          Attribute: 'Properties',
          Name: 'VisibilityTimeout',
          RequiresRecreation: 'Never',
          Path: '/Properties/VisibilityTimeout',
          BeforeValue: '30',
          AfterValue: '60',
          AttributeChangeType: 'Modify',
        },
        {
          Attribute: 'Properties',
          Name: 'DelaySeconds',
          RequiresRecreation: 'Never',
          Path: '/Properties/DelaySeconds',
          BeforeValue: '5',
          AttributeChangeType: 'Remove',
        },
      ],
    );
    assert.deepEqual(JSON.parse(change?.BeforeContext ?? '{}'), { Properties: { VisibilityTimeout: 30, DelaySeconds: 5 } });
    assert.deepEqual(JSON.parse(change?.AfterContext ?? '{}'), { Properties: { VisibilityTimeout: 60 } });
  });

  it('template bodies round-trip byte for byte, XML specials and CR LF included', async () => {
    const body = 'Description: "<&> \' \\" ünïcödé ✓"\r\nResources:\r\n  Q:\r\n    Type: AWS::SQS::Queue\r\n';
    await deploy(sim, cfn, 'bytes', body);
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'bytes' }))).TemplateBody, body);
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'bytes' }))).Stacks?.[0]?.Description, '<&> \' " ünïcödé ✓');
  });

  describe('ValidateTemplate', () => {
    it('reports parameters, capabilities and transforms', async () => {
      const result = await cfn.send(
        new ValidateTemplateCommand({
          TemplateBody: `Transform: AWS::Serverless-2016-10-31
Description: svc
Parameters:
  Env: { Type: String, Default: dev, Description: where }
  Pass: { Type: String, NoEcho: true }
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties: { RoleName: named, AssumeRolePolicyDocument: {} }
`,
        }),
      );
      assert.deepEqual(result.Parameters, [
        { ParameterKey: 'Env', DefaultValue: 'dev', NoEcho: false, Description: 'where' },
        { ParameterKey: 'Pass', NoEcho: true },
      ]);
      assert.equal(result.Description, 'svc');
      assert.deepEqual(result.Capabilities, ['CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
      assert.match(result.CapabilitiesReason ?? '', /AWS::IAM::Role/);
      assert.deepEqual(result.DeclaredTransforms, ['AWS::Serverless-2016-10-31']);
    });

    const formatErrors: [string, string, string][] = [
      ['YAML syntax', 'Resources:\n  Q: [\n', /^Template format error: YAML not well-formed\. \(line \d+, column \d+\)$/.source],
      ['JSON syntax', '{ "Resources": { ', /^Template format error: JSON not well-formed\. \(line 1, column \d+\)$/.source],
      ['no resources', 'Description: nothing\n', '^Template format error: At least one Resources member must be defined\\.$'],
      ['unknown section', 'Resource:\n  Q: { Type: AWS::SQS::Queue }\n', '^Template format error: Invalid template property or properties \\[Resource\\]$'],
      ['missing Type', 'Resources:\n  Q: { Properties: {} }\n', '^Template format error: Every Resources object must contain a Type member\\.$'],
      [
        'unresolved Ref',
        'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: !Ref Nowhere }\n',
        '^Template format error: Unresolved resource dependencies \\[Nowhere\\] in the Resources block of the template$',
      ],
      [
        'unresolved Sub',
        'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: !Sub "${Ghost}-q" }\n',
        '^Template format error: Unresolved resource dependencies \\[Ghost\\] in the Resources block of the template$',
      ],
      [
        'unresolved in Outputs',
        'Resources:\n  Q: { Type: AWS::SQS::Queue }\nOutputs:\n  O: { Value: !Ref Nope }\n',
        '^Template format error: Unresolved resource dependencies \\[Nope\\] in the Outputs block of the template$',
      ],
      [
        'GetAtt to nothing',
        'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: !GetAtt Nope.Arn }\n',
        '^Template error: instance of Fn::GetAtt references undefined resource Nope$',
      ],
      [
        'cycle',
        'Resources:\n  A: { Type: AWS::SQS::Queue, DependsOn: B }\n  B: { Type: AWS::SQS::Queue, DependsOn: A }\n',
        '^Template format error: Circular dependency between resources: \\[A, B\\]$',
      ],
      ['bad type', 'Resources:\n  Q: { Type: SQS }\n', '^Template format error: Unrecognized resource types: \\[SQS\\]$'],
    ];
    for (const [name, body, message] of formatErrors) {
      it(`rejects ${name}`, async () => {
        await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateBody: body })), rejectsWith('ValidationError', new RegExp(message)));
      });
    }

    it('rejects a TemplateBody over 51,200 bytes', async () => {
      const big = `Resources:\n  Q: { Type: AWS::SQS::Queue }\n${'#'.repeat(51_200)}\n`;
      await assert.rejects(
        cfn.send(new ValidateTemplateCommand({ TemplateBody: big })),
        rejectsWith('ValidationError', /Member must have length less than or equal to 51200/),
      );
    });
  });

  describe('CreateChangeSet refusals', () => {
    const queue = 'Resources:\n  Q: { Type: AWS::SQS::Queue }\n';
    const cases: [string, Partial<ConstructorParameters<typeof CreateChangeSetCommand>[0]>, string, string | RegExp][] = [
      ['an UPDATE of a missing stack', { ChangeSetType: 'UPDATE', TemplateBody: queue }, 'ValidationError', 'Stack [refused] does not exist'],
      [
        'IAM without the capability',
        { TemplateBody: 'Resources:\n  R: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: {} } }\n' },
        'InsufficientCapabilitiesException',
        'Requires capabilities : [CAPABILITY_IAM]',
      ],
      [
        'named IAM with only CAPABILITY_IAM',
        {
          TemplateBody: 'Resources:\n  R: { Type: AWS::IAM::Role, Properties: { RoleName: r, AssumeRolePolicyDocument: {} } }\n',
          Capabilities: ['CAPABILITY_IAM'],
        },
        'InsufficientCapabilitiesException',
        'Requires capabilities : [CAPABILITY_NAMED_IAM]',
      ],
      [
        'a transform without AUTO_EXPAND',
        { TemplateBody: `Transform: AWS::Serverless-2016-10-31\n${queue}`, Capabilities: ['CAPABILITY_IAM'] },
        'InsufficientCapabilitiesException',
        'Requires capabilities : [CAPABILITY_AUTO_EXPAND]',
      ],
      [
        'missing parameter values',
        { TemplateBody: `Parameters:\n  A: { Type: String }\n  B: { Type: String }\n${queue}` },
        'ValidationError',
        'Parameters: [A, B] must have values',
      ],
      [
        'unknown parameters',
        { TemplateBody: queue, Parameters: [{ ParameterKey: 'Nope', ParameterValue: 'x' }] },
        'ValidationError',
        'Parameters: [Nope] do not exist in the template',
      ],
      [
        'a value outside AllowedValues',
        {
          TemplateBody: `Parameters:\n  Env: { Type: String, AllowedValues: [dev, prod] }\n${queue}`,
          Parameters: [{ ParameterKey: 'Env', ParameterValue: 'qa' }],
        },
        'ValidationError',
        "Parameter 'Env' must be one of AllowedValues",
      ],
      ['a TemplateURL outside S3', { TemplateURL: 'https://example.com/t.yaml' }, 'ValidationError', 'TemplateURL must be a supported URL.'],
      ['a TemplateURL to a missing object', { TemplateURL: 'https://bucket.s3.amazonaws.com/t.yaml' }, 'ValidationError', /^S3 error: Access Denied/],
      ['no template', {}, 'ValidationError', 'Either Template URL or Template Body must be specified.'],
      ['a bad change set name', { ChangeSetName: '1-bad_name', TemplateBody: queue }, 'ValidationError', /at 'changeSetName' failed to satisfy constraint/],
    ];
    for (const [name, input, errorName, message] of cases) {
      it(`refuses ${name}`, async () => {
        await assert.rejects(
          cfn.send(new CreateChangeSetCommand({ StackName: 'refused', ChangeSetName: 'cs', ChangeSetType: 'CREATE', ...input })),
          rejectsWith(errorName, message),
        );
        assert.equal(sim.stacks().length, 0, 'a refused CREATE change set leaves no stack behind');
      });
    }

    it('UsePreviousValue keeps the deployed value; a second change set of the same name is refused; ClientToken is idempotent', async () => {
      const template = `Parameters:\n  Size: { Type: Number }\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { DelaySeconds: !Ref Size }\n`;
      await deploy(sim, cfn, 'params', template, { parameters: [{ ParameterKey: 'Size', ParameterValue: '5' }] });
      const input = {
        StackName: 'params',
        ChangeSetName: 'keep',
        TemplateBody: template.replace('DelaySeconds', 'MaximumMessageSize: 2048, DelaySeconds'),
        Parameters: [{ ParameterKey: 'Size', UsePreviousValue: true }],
        ClientToken: 'ct-1',
      };
      const first = await cfn.send(new CreateChangeSetCommand(input));
      const again = await cfn.send(new CreateChangeSetCommand(input));
      assert.equal(again.Id, first.Id, 'the same ClientToken returns the same change set');
      await assert.rejects(
        cfn.send(new CreateChangeSetCommand({ ...input, ClientToken: 'ct-2' })),
        rejectsWith('AlreadyExistsException', 'ChangeSet [keep] already exists'),
      );
      await assert.rejects(cfn.send(new CreateChangeSetCommand({ ...input, ChangeSetName: 'other' })), rejectsWith('TokenAlreadyExistsException', /ct-1/));
      sim.advance(5);
      const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: first.Id }));
      assert.deepEqual(described.Parameters, [{ ParameterKey: 'Size', ParameterValue: '5' }]);
      assert.deepEqual(
        described.Changes?.[0]?.ResourceChange?.Details?.map((d) => d.Target?.Name),
        ['MaximumMessageSize'],
      );
      await assert.rejects(
        cfn.send(
          new CreateChangeSetCommand({
            StackName: 'params',
            ChangeSetName: 'bad',
            TemplateBody: `Parameters:\n  Other: { Type: String }\n${queue}`,
            Parameters: [{ ParameterKey: 'Other', UsePreviousValue: true }],
          }),
        ),
        rejectsWith('ValidationError', /Cannot specify usePreviousValue as true for a parameter key not in the previous template/),
      );
    });
  });

  it('answers unknown actions and missing members as AWS does', async () => {
    const post = async (body: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(sim.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: res.status, text: await res.text() };
    };
    const unknown = await post('Action=CreateStackSet&Version=2010-05-15');
    assert.equal(unknown.status, 400);
    assert.match(
      unknown.text,
      /^<ErrorResponse xmlns="http:\/\/cloudformation\.amazonaws\.com\/doc\/2010-05-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code><Message>Could not find operation CreateStackSet for version 2010-05-15<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
    );
    const missing = await post('Action=DescribeStackEvents&Version=2010-05-15');
    assert.match(
      missing.text,
      /<Code>ValidationError<\/Code><Message>1 validation error detected: Value null at &apos;stackName&apos; failed to satisfy constraint: Member must not be null<\/Message>/,
    );
    const ok = await post('Action=DescribeStacks&Version=2010-05-15');
    assert.equal(ok.status, 200);
    assert.match(
      ok.text,
      /^<DescribeStacksResponse xmlns="http:\/\/cloudformation\.amazonaws\.com\/doc\/2010-05-15\/"><DescribeStacksResult><Stacks\/><\/DescribeStacksResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeStacksResponse>$/,
    );
    const deleted = await post('Action=DeleteStack&Version=2010-05-15&StackName=nothing');
    assert.match(deleted.text, /^<DeleteStackResponse xmlns="[^"]+"><ResponseMetadata><RequestId>/, 'Unit output: no Result element');
  });
});
