/**
 * A change set's property-level detail as the review's rows: paths, change types, causes, drift,
 * values cut to size, and NoEcho values masked wherever they appear.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Change as CfnChange } from '@aws-sdk/client-cloudformation';
import { toChange } from '../../src/providers/aws/changes';
import { boundedValue, pointerToPath, toPropertyChange } from '../../src/providers/aws/propertyChanges';
import { NO_SECRETS, SecretMasker, secretsOf, withMaskedParameters } from '../../src/providers/aws/secretMask';
import { MAX_PROPERTY_VALUE_CHARS, SECRET_MASK } from '../../src/providers/provider';

const PASSWORD = 'hunter2-"quoted"\\slash';
const masker = new SecretMasker(
  secretsOf([
    { key: 'DbPassword', value: PASSWORD, secret: true },
    { key: 'Env', value: 'prod' },
  ]),
);

function modify(details: NonNullable<CfnChange['ResourceChange']>['Details'], extra: Partial<NonNullable<CfnChange['ResourceChange']>> = {}): CfnChange {
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: 'Modify',
      LogicalResourceId: 'Table',
      ResourceType: 'AWS::DynamoDB::Table',
      PhysicalResourceId: 'table-1',
      Details: details,
      ...extra,
    },
  };
}

describe('property changes', () => {
  it('turns a JSON pointer into the path the review shows', () => {
    assert.equal(pointerToPath('/Properties/Tags/0/Value'), 'Properties.Tags[0].Value');
    assert.equal(pointerToPath('/Properties/KeySchema'), 'Properties.KeySchema');
    assert.equal(pointerToPath('/Metadata/a~1b'), 'Metadata.a/b');
  });

  it('maps every field of a detail, and keeps the detail lines of today', () => {
    const change = toChange(
      modify(
        [
          {
            Target: {
              Attribute: 'Properties',
              Name: 'KeySchema',
              Path: '/Properties/KeySchema',
              RequiresRecreation: 'Always',
              BeforeValue: '[{"AttributeName":"id","KeyType":"HASH"}]',
              AfterValue: '[{"AttributeName":"pk","KeyType":"HASH"}]',
              AttributeChangeType: 'Modify',
            },
            ChangeSource: 'DirectModification',
            Evaluation: 'Static',
          },
          {
            Target: { Attribute: 'Properties', Name: 'TableName', RequiresRecreation: 'Always', AttributeChangeType: 'Add', AfterValue: 'orders' },
            ChangeSource: 'ParameterReference',
            CausingEntity: 'TableNameParam',
          },
        ],
        {
          Replacement: 'True',
          BeforeContext: '{"Properties":{"TableName":"a"}}',
          AfterContext: '{"Properties":{"TableName":"orders"}}',
          ResourceDriftStatus: 'MODIFIED',
        },
      ),
      masker,
    );
    assert.deepEqual(change, {
      logicalId: 'Table',
      action: 'Modify',
      resourceType: 'AWS::DynamoDB::Table',
      physicalId: 'table-1',
      replacement: 'True',
      details: ['Properties.KeySchema (requires replacement)', 'Properties.TableName (requires replacement) because of TableNameParam'],
      properties: [
        {
          path: 'Properties.KeySchema',
          changeType: 'Modify',
          requiresRecreation: 'Always',
          changeSource: 'DirectModification',
          before: '[{"AttributeName":"id","KeyType":"HASH"}]',
          after: '[{"AttributeName":"pk","KeyType":"HASH"}]',
        },
        {
          path: 'Properties.TableName',
          changeType: 'Add',
          requiresRecreation: 'Always',
          changeSource: 'ParameterReference',
          causingEntity: 'TableNameParam',
          after: 'orders',
        },
      ],
      beforeContext: '{"Properties":{"TableName":"a"}}',
      afterContext: '{"Properties":{"TableName":"orders"}}',
      drift: 'MODIFIED',
    });
  });

  it('keys a nested row under its parent and says which parent', () => {
    const change = toChange(modify([]), masker, 'App/Network');
    assert.equal(change?.logicalId, 'App/Network/Table');
    assert.equal(change?.parent, 'App/Network');
  });

  it('carries drift values and reads SyncWithActual as a modification', () => {
    const property = toPropertyChange(
      {
        Target: {
          Attribute: 'Properties',
          Path: '/Properties/VisibilityTimeout',
          AttributeChangeType: 'SyncWithActual',
          BeforeValue: '60',
          AfterValue: '30',
          Drift: { PreviousValue: '30', ActualValue: '60' },
        },
        ChangeSource: 'DirectModification',
      },
      masker,
    );
    assert.deepEqual(property, {
      path: 'Properties.VisibilityTimeout',
      changeType: 'Modify',
      changeSource: 'DirectModification',
      before: '60',
      after: '30',
      drift: { previous: '30', actual: '60' },
    });
  });

  it('cuts long values with an ellipsis', () => {
    const long = 'x'.repeat(MAX_PROPERTY_VALUE_CHARS + 50);
    const cut = boundedValue(long);
    assert.equal(cut.length, MAX_PROPERTY_VALUE_CHARS);
    assert.ok(cut.endsWith('…'));
    assert.equal(boundedValue('short'), 'short');
  });
});

describe('masking NoEcho values', () => {
  it('masks a secret inside a JSON context, in its JSON-escaped form', () => {
    const context = JSON.stringify({ Properties: { MasterUserPassword: PASSWORD, Engine: 'postgres' } });
    assert.ok(context.includes(JSON.stringify(PASSWORD).slice(1, -1)), 'the fixture holds the escaped form');
    const change = toChange(modify([], { AfterContext: context, BeforeContext: `{"Note":"uses ${PASSWORD} raw"}` }), masker);
    assert.equal(change?.afterContext, JSON.stringify({ Properties: { MasterUserPassword: SECRET_MASK, Engine: 'postgres' } }));
    assert.equal(change?.beforeContext?.includes('hunter2'), false);
    assert.ok(change?.beforeContext?.includes(SECRET_MASK));
  });

  it('masks a secret in before, after and drift values, and says so', () => {
    const property = toPropertyChange(
      {
        Target: {
          Attribute: 'Properties',
          Name: 'Url',
          BeforeValue: `postgres://admin:${PASSWORD}@db`,
          AfterValue: 'postgres://admin@db',
          Drift: { PreviousValue: `x${PASSWORD}`, ActualValue: 'y' },
        },
        ChangeSource: 'DirectModification',
      },
      masker,
    );
    assert.equal(property?.before, `postgres://admin:${SECRET_MASK}@db`);
    assert.equal(property?.after, 'postgres://admin@db');
    assert.deepEqual(property?.drift, { previous: `x${SECRET_MASK}`, actual: 'y' });
    assert.equal(property?.masked, true);
    assert.ok(!JSON.stringify(property).includes('hunter2'));
  });

  it('masks a property a NoEcho parameter causes wholesale, whatever its value', () => {
    const property = toPropertyChange(
      {
        Target: { Attribute: 'Properties', Name: 'MasterUserPassword', BeforeValue: 'old-one', AfterValue: 'new-one' },
        ChangeSource: 'ParameterReference',
        CausingEntity: 'DbPassword',
      },
      masker,
    );
    assert.equal(property?.before, SECRET_MASK);
    assert.equal(property?.after, SECRET_MASK);
    assert.equal(property?.masked, true);
    assert.equal(property?.causingEntity, 'DbPassword');
  });

  it("counts CloudFormation's own mask as masked, and leaves plain values alone", () => {
    const own = toPropertyChange({ Target: { Attribute: 'Properties', Name: 'P', AfterValue: SECRET_MASK } }, new SecretMasker(NO_SECRETS));
    assert.equal(own?.masked, true);
    const plain = toPropertyChange({ Target: { Attribute: 'Properties', Name: 'P', AfterValue: 'prod' } }, masker);
    assert.equal(plain?.masked, undefined);
    assert.equal(plain?.after, 'prod');
  });

  it('masks before cutting, so a secret at the cut is never half shown', () => {
    const value = `${'a'.repeat(MAX_PROPERTY_VALUE_CHARS - 5)}${PASSWORD}`;
    const property = toPropertyChange({ Target: { Attribute: 'Properties', Name: 'P', AfterValue: value } }, masker);
    assert.ok(!property?.after?.includes('hunter'));
    assert.equal(property?.masked, true);
  });

  it('learns NoEcho parameters from the change set itself when this window forgot them', () => {
    const forgetful = new SecretMasker(
      withMaskedParameters(NO_SECRETS, [
        { ParameterKey: 'ApiKey', ParameterValue: SECRET_MASK },
        { ParameterKey: 'Env', ParameterValue: 'prod' },
      ]),
    );
    assert.equal(forgetful.isSecretEntity('ApiKey'), true);
    assert.equal(forgetful.isSecretEntity('Env'), false);
    const property = toPropertyChange(
      { Target: { Attribute: 'Properties', Name: 'Key', AfterValue: 'abc' }, ChangeSource: 'ParameterReference', CausingEntity: 'ApiKey' },
      forgetful,
    );
    assert.equal(property?.after, SECRET_MASK);
  });
});
