import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { inferCapabilities, mergeCapabilities } from '../../src/providers/aws/template/capabilities';
import { loadTemplate } from '../../src/providers/aws/template/loadTemplate';
import type { TemplateDocument, TemplateResource } from '../../src/providers/aws/template/templateDocument';
import { fixture } from '../fixtures/templates/fixtures';

function documentWith(resources: Record<string, TemplateResource>, extra: Partial<TemplateDocument> = {}): TemplateDocument {
  const raw = { Resources: resources, ...(extra.raw ?? {}) };
  return { Transform: [], Parameters: {}, Outputs: {}, Conditions: {}, Mappings: {}, Resources: resources, ...extra, raw };
}

describe('inferCapabilities', () => {
  it('none for a template without IAM or transforms', () => {
    assert.deepEqual(inferCapabilities(documentWith({ Topic: { Type: 'AWS::SNS::Topic' } })), []);
  });

  it('CAPABILITY_IAM for any IAM resource', async () => {
    for (const type of [
      'AWS::IAM::Role',
      'AWS::IAM::User',
      'AWS::IAM::Group',
      'AWS::IAM::Policy',
      'AWS::IAM::ManagedPolicy',
      'AWS::IAM::InstanceProfile',
      'AWS::IAM::AccessKey',
      'AWS::IAM::UserToGroupAddition',
      'AWS::IAM::ServiceLinkedRole',
    ]) {
      assert.deepEqual(inferCapabilities(documentWith({ Thing: { Type: type } })), ['CAPABILITY_IAM'], type);
    }
    assert.deepEqual(inferCapabilities((await loadTemplate(fixture('s3-sqs-lambda.yaml'))).document), ['CAPABILITY_IAM']);
  });

  it('CAPABILITY_NAMED_IAM when an IAM resource has an explicit name', async () => {
    for (const [type, property] of [
      ['AWS::IAM::Role', 'RoleName'],
      ['AWS::IAM::User', 'UserName'],
      ['AWS::IAM::Group', 'GroupName'],
      ['AWS::IAM::ManagedPolicy', 'ManagedPolicyName'],
      ['AWS::IAM::InstanceProfile', 'InstanceProfileName'],
    ]) {
      assert.deepEqual(
        inferCapabilities(documentWith({ Thing: { Type: type, Properties: { [property]: 'fixed' } } })),
        ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        type,
      );
    }
    assert.deepEqual(
      inferCapabilities(documentWith({ P: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'inline' } } })),
      ['CAPABILITY_IAM'],
      'an inline policy name is not a named IAM resource',
    );
    assert.deepEqual(inferCapabilities((await loadTemplate(fixture('named-iam.json'))).document), ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
  });

  it('CAPABILITY_AUTO_EXPAND for SAM, with CAPABILITY_IAM for the role SAM makes', async () => {
    assert.deepEqual(inferCapabilities((await loadTemplate(fixture('sam-api.yaml'))).document), ['CAPABILITY_AUTO_EXPAND', 'CAPABILITY_IAM']);
    const withRole = documentWith({ F: { Type: 'AWS::Serverless::Function', Properties: { Role: 'arn:aws:iam::123456789012:role/existing' } } });
    assert.deepEqual(inferCapabilities(withRole), ['CAPABILITY_AUTO_EXPAND']);
  });

  it('CAPABILITY_AUTO_EXPAND for a Transform list and for Fn::Transform', () => {
    assert.deepEqual(inferCapabilities(documentWith({ T: { Type: 'AWS::SNS::Topic' } }, { Transform: ['AWS::LanguageExtensions'] })), [
      'CAPABILITY_AUTO_EXPAND',
    ]);
    const include = { T: { Type: 'AWS::SNS::Topic', Properties: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } } } };
    assert.deepEqual(inferCapabilities(documentWith(include)), ['CAPABILITY_AUTO_EXPAND']);
  });
});

describe('mergeCapabilities', () => {
  it('is a sorted union without blanks', () => {
    assert.deepEqual(mergeCapabilities(['CAPABILITY_IAM'], undefined, ['CAPABILITY_AUTO_EXPAND', ' CAPABILITY_IAM ', '']), [
      'CAPABILITY_AUTO_EXPAND',
      'CAPABILITY_IAM',
    ]);
  });
});
