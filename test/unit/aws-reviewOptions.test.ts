/** The review's deployment options as CreateChangeSet fields, and console links for change rows. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { awsDescriptor } from '../../src/providers/aws/descriptor';
import { awsDeploymentOptions, changeSetOptions } from '../../src/providers/aws/deploymentOptions';

const target = { provider: 'aws' as const, name: 'shop', region: 'eu-west-1' };

describe('deployment options', () => {
  it('the descriptor offers revert drift, express, on-failure and import, each with its default', () => {
    assert.deepEqual(
      awsDescriptor.deploymentOptions?.map((o) => [o.id, o.kind, o.default, o.appliesTo]),
      [
        ['revertDrift', 'flag', false, 'update'],
        ['express', 'flag', false, 'always'],
        ['onStackFailure', 'choice', 'ROLLBACK', 'create'],
        ['importExisting', 'flag', false, 'always'],
      ],
    );
    const express = awsDeploymentOptions().find((o) => o.id === 'express');
    assert.match(express?.description ?? '', /without waiting for it to stabilize/);
    assert.match(express?.description ?? '', /rollback turned off/);
  });

  it('adds nothing when nothing is chosen', () => {
    assert.deepEqual(changeSetOptions(undefined, 'UPDATE'), {});
    assert.deepEqual(changeSetOptions({ revertDrift: false, express: false, onStackFailure: 'ROLLBACK', importExisting: false }, 'CREATE'), {});
  });

  it('maps each option to its CreateChangeSet field where it applies', () => {
    assert.deepEqual(changeSetOptions({ revertDrift: true, importExisting: true }, 'UPDATE'), {
      DeploymentMode: 'REVERT_DRIFT',
      ImportExistingResources: true,
    });
    assert.deepEqual(changeSetOptions({ express: true }, 'UPDATE'), { DeploymentConfig: { Mode: 'EXPRESS', DisableRollback: true } });
    assert.deepEqual(changeSetOptions({ onStackFailure: 'DELETE' }, 'CREATE'), { OnStackFailure: 'DELETE' });
  });

  it('leaves out what does not apply: drift on a create, on-failure on an update or with express, unknown choices', () => {
    assert.deepEqual(changeSetOptions({ revertDrift: true }, 'CREATE'), {});
    assert.deepEqual(changeSetOptions({ onStackFailure: 'DO_NOTHING' }, 'UPDATE'), {});
    assert.deepEqual(changeSetOptions({ onStackFailure: 'EXPLODE' }, 'CREATE'), {});
    assert.deepEqual(changeSetOptions({ onStackFailure: 'DELETE', express: true }, 'CREATE'), { DeploymentConfig: { Mode: 'EXPRESS', DisableRollback: true } });
  });
});

describe('console links', () => {
  const url = (logicalId: string, resourceType: string, physicalId?: string, targetId?: string): string | undefined =>
    awsDescriptor.consoleUrl?.({ target, logicalId, resourceType, physicalId, targetId });

  it("opens a common type's own service page in the target's region", () => {
    assert.equal(url('Bucket', 'AWS::S3::Bucket', 'my-bucket'), 'https://eu-west-1.console.aws.amazon.com/s3/buckets/my-bucket?region=eu-west-1');
    assert.equal(
      url('Queue', 'AWS::SQS::Queue', 'https://sqs.eu-west-1.amazonaws.com/123456789012/q'),
      'https://eu-west-1.console.aws.amazon.com/sqs/v3/home?region=eu-west-1#/queues/https%3A%2F%2Fsqs.eu-west-1.amazonaws.com%2F123456789012%2Fq',
    );
    assert.equal(url('Fn', 'AWS::Lambda::Function', 'shop-fn'), 'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/shop-fn');
    assert.equal(url('T', 'AWS::DynamoDB::Table', 'orders'), 'https://eu-west-1.console.aws.amazon.com/dynamodbv2/home?region=eu-west-1#table?name=orders');
    assert.equal(url('Role', 'AWS::IAM::Role', 'shop-role'), 'https://console.aws.amazon.com/iam/home#/roles/details/shop-role');
  });

  it("falls back to the stack's resources filtered to the row's own logical ID", () => {
    const arn = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/shop/abc';
    assert.equal(
      url('Network/Subnet', 'AWS::EC2::Subnet', 'subnet-1', arn),
      `https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/resources?stackId=${encodeURIComponent(arn)}&filteringText=Subnet&viewNested=true`,
    );
    // Not created yet: no physical ID, so the stack page by name.
    assert.match(url('Bucket', 'AWS::S3::Bucket') ?? '', /#\/stacks\/resources\?stackId=shop&filteringText=Bucket/);
  });

  it('is https only, with no link for a region it cannot place', () => {
    for (const link of [url('Bucket', 'AWS::S3::Bucket', 'b'), url('X', 'Custom::Thing')]) assert.ok(link?.startsWith('https://'));
    assert.equal(
      awsDescriptor.consoleUrl?.({ target: { ...target, region: 'evil.com/x' }, logicalId: 'B', resourceType: 'AWS::S3::Bucket', physicalId: 'b' }),
      undefined,
    );
    assert.equal(awsDescriptor.consoleUrl?.({ target: { provider: 'aws', name: 's' }, logicalId: 'B', resourceType: 'AWS::S3::Bucket' }), undefined);
    assert.match(
      awsDescriptor.consoleUrl?.({ target: { ...target, region: 'cn-north-1' }, logicalId: 'B', resourceType: 'AWS::S3::Bucket', physicalId: 'b' }) ?? '',
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\//,
    );
  });
});
