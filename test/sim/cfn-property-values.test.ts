/**
 * IncludePropertyValues through the real SDK: BeforeContext/AfterContext hold the whole resource's
 * properties, each detail its Path, BeforeValue/AfterValue and AttributeChangeType; a property fed
 * by a NoEcho parameter reads "****" everywhere, as CloudFormation masks it; without
 * IncludePropertyValues none of the values are sent.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DescribeChangeSetCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { clientFor, createChangeSetAndWait, deploy } from './support';

const TEMPLATE = `Parameters:
  Password: { Type: String, NoEcho: true }
  Size: { Type: String, Default: db.t3.micro }
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: !Ref Size
      MasterUsername: admin
      MasterUserPassword: !Sub "\${Password}"
      Tags: [{ Key: team, Value: blue }]
`;

describe('cfn-sim IncludePropertyValues', () => {
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

  it('shows whole-resource contexts, paths and values, and masks NoEcho-fed properties', async () => {
    await deploy(sim, cfn, 'db', TEMPLATE, { parameters: [{ ParameterKey: 'Password', ParameterValue: 'hunter2-old' }] });
    const made = await createChangeSetAndWait(sim, cfn, {
      StackName: 'db',
      ChangeSetName: 'resize',
      TemplateBody: TEMPLATE.replace('Value: blue', 'Value: green'),
      Parameters: [
        { ParameterKey: 'Password', ParameterValue: 'hunter2-new' },
        { ParameterKey: 'Size', ParameterValue: 'db.t3.large' },
      ],
    });
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: made.ChangeSetId, IncludePropertyValues: true }));
    const text = JSON.stringify(described);
    assert.ok(!text.includes('hunter2'), 'no NoEcho value anywhere in the answer');
    assert.deepEqual(described.Parameters?.find((p) => p.ParameterKey === 'Password')?.ParameterValue, '****');

    const db = described.Changes?.[0]?.ResourceChange;
    assert.deepEqual(JSON.parse(db?.BeforeContext ?? '{}'), {
      Properties: { DBInstanceClass: 'db.t3.micro', MasterUsername: 'admin', MasterUserPassword: '****', Tags: [{ Key: 'team', Value: 'blue' }] },
    });
    assert.equal((JSON.parse(db?.AfterContext ?? '{}') as { Properties: Record<string, unknown> }).Properties['DBInstanceClass'], 'db.t3.large');
    const byPath = new Map(db?.Details?.map((d) => [d.Target?.Path, d]));
    const size = byPath.get('/Properties/DBInstanceClass');
    assert.equal(size?.Target?.BeforeValue, 'db.t3.micro');
    assert.equal(size?.Target?.AfterValue, 'db.t3.large');
    assert.equal(size?.Target?.AttributeChangeType, 'Modify');
    assert.equal(size?.ChangeSource, 'ParameterReference');
    assert.equal(size?.CausingEntity, 'Size');
    const password = byPath.get('/Properties/MasterUserPassword');
    assert.equal(password?.Target?.BeforeValue, '****');
    assert.equal(password?.Target?.AfterValue, '****');
    const tags = byPath.get('/Properties/Tags');
    assert.equal(tags?.Target?.Attribute, 'Tags');
    assert.deepEqual(JSON.parse(tags?.Target?.AfterValue ?? 'null'), [{ Key: 'team', Value: 'green' }]);
    assert.equal(size?.Target?.BeforeValueFrom, undefined, 'value sources are only for drift-aware change sets');

    const plain = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: made.ChangeSetId }));
    assert.equal(plain.Changes?.[0]?.ResourceChange?.BeforeContext, undefined);
    assert.ok(plain.Changes?.[0]?.ResourceChange?.Details?.every((d) => d.Target?.BeforeValue === undefined && d.Target?.Path === undefined));
  });
});
