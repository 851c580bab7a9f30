import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { profileNames } from '../../src/providers/aws/configure/awsProfiles';
import { defaultStackName, looksLikeTemplate, parametersToAsk } from '../../src/providers/aws/configure/stackDefaults';
import { eventLine, eventsAfter } from '../../src/ui/eventLog';
import { savedFileName, templateLanguage } from '../../src/commands/templateNames';
import { descriptorOf } from '../../src/providers/registry';
import { stackNameProblem } from '../../src/providers/aws/template/stackName';
import { event } from '../support/uiSnapshots';

describe('first-run helpers', () => {
  it('derives a valid stack name from the folder name', () => {
    assert.equal(defaultStackName('orders-api'), 'orders-api');
    assert.equal(defaultStackName('My App_2'), 'My-App-2');
    assert.equal(defaultStackName('2024 project'), 'project');
    assert.equal(defaultStackName('日本'), 'my-stack');
    for (const name of ['x'.repeat(300), '--a--']) assert.equal(stackNameProblem(defaultStackName(name)), undefined);
  });

  it('asks only for parameters with neither a Default nor a value', () => {
    const declared = { Stage: { Type: 'String' }, Size: { Type: 'Number', Default: '1' }, Name: { Type: 'String' } };
    assert.deepEqual(parametersToAsk(declared, { Name: 'x' }), ['Stage']);
  });

  it('reads profile names from config and credentials, default first, SSO sessions skipped', () => {
    const config = '[default]\nregion=us-east-1\n[profile dev]\nsso_session=corp\n[sso-session corp]\nsso_region=eu-west-1\n';
    assert.deepEqual(profileNames(config, '[ci]\naws_access_key_id=x\n[dev]\n'), ['default', 'ci', 'dev']);
  });

  it('recognises templates by their markers', () => {
    assert.ok(looksLikeTemplate('AWSTemplateFormatVersion: "2010-09-09"\n'));
    assert.ok(looksLikeTemplate('Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn: {}\n'));
    assert.ok(looksLikeTemplate('{ "Resources": {} }'));
    assert.ok(!looksLikeTemplate('name: ci\non: push\njobs: {}\n'));
  });
});

describe('event log lines', () => {
  const events = [
    event('Queue', 'CREATE_IN_PROGRESS', 'inProgress'),
    event('Queue', 'CREATE_FAILED', 'failed', 'Name taken'),
    event('Bucket', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
  ];

  it('writes only events after the last one written', () => {
    assert.equal(eventsAfter(events, undefined).length, 3);
    assert.deepEqual(eventsAfter(events, events[1].id), [events[2]]);
    assert.deepEqual(eventsAfter(events, events[2].id), []);
    // The last written event fell out of the bounded tail: everything kept is new.
    assert.equal(eventsAfter(events, 'gone').length, 3);
  });

  it('highlights failures as errors and cancellations as warnings', () => {
    assert.equal(eventLine('s', events[0]).level, 'info');
    const failed = eventLine('s', events[1]);
    assert.equal(failed.level, 'error');
    assert.match(failed.text, /Queue \(AWS::SQS::Queue\) CREATE_FAILED — Name taken/);
    assert.equal(eventLine('s', events[2]).level, 'warn');
  });
});

describe('save staged template names', () => {
  it('offers a name a person would choose: the stack, what it is, and the local time it was saved', () => {
    const savedAt = new Date(2026, 11, 1, 6, 12, 40);
    const aws = savedFileName('orders-api', descriptorOf('aws').saved.fileLabel, 'yaml', savedAt);
    assert.equal(aws, 'orders-api-staged-2026-12-01-0612.yaml');
    assert.doesNotMatch(aws, /stackwatch|[0-9a-f]{8}/, 'no change set name, token or hash');
    assert.equal(savedFileName('infra', descriptorOf('gcp').saved.fileLabel, 'json', savedAt), 'infra-plan-2026-12-01-0612.json');
    assert.equal(savedFileName('my stack/x', 'staged', 'json', new Date(2027, 0, 9, 23, 5)), 'my-stack-x-staged-2027-01-09-2305.json');
  });

  it('detects the format', () => {
    assert.equal(templateLanguage('  { "Resources": {} }'), 'json');
    assert.equal(templateLanguage('Resources:\n  A: {}'), 'yaml');
  });
});
