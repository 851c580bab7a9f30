/**
 * What the Problems panel gets from a deployment: findings and failures on the template lines the
 * AWS runtime's locate finds (the real one, on a real template text), with the check or status
 * as the code, hook and request ID in the message, no cancellations and no secrets; and when a
 * deployment's end clears, replaces or keeps the last failures.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { endedFailurePlacements, failureVerdict, findingPlacements, stagedFindingPlacements, type Locate } from '../../src/ui/diagnosticPlacement';
import { locate } from '../../src/providers/aws/template/locate';
import type { DeploymentEvent, TemplateSource } from '../../src/providers/provider';
import { event, finishedIn, withEvents } from '../support/uiSnapshots';

const BODY = [
  'Resources:',
  '  Bucket:',
  '    Type: AWS::S3::Bucket',
  '    Properties:',
  '      BucketName: !Sub "${AWS::StackName}-data"',
  '  Queue:',
  '    Type: AWS::SQS::Queue',
  '    Properties:',
  '      QueueName: orders',
  '',
].join('\n');
const TEMPLATE: TemplateSource = { path: 'template.yaml', body: BODY, format: 'yaml', sizeBytes: BODY.length };
const locateHere: Locate = (pointer) => locate(TEMPLATE, pointer, { workspaceFolder: '/ws' });
const lineOf = (needle: string): number => BODY.split('\n').findIndex((l) => l.includes(needle)) + 1;

const initialized = (secret?: string) => ({
  template: TEMPLATE,
  parameters: secret ? [{ key: 'Pw', value: secret, secret: true }] : [],
  capabilities: [],
  warnings: [],
});

function failedRun(extra: Partial<DeploymentEvent> = {}): DeploymentEvent[] {
  return [
    { ...event('Queue', 'CREATE_FAILED', 'failed', 'Queue orders already exists'), ...extra },
    event('Bucket', 'CREATE_FAILED', 'cancelled', 'Resource creation cancelled'),
    event('demo-stack', 'ROLLBACK_COMPLETE', 'rolledBack'),
  ];
}

describe('diagnostic placement: findings', () => {
  it('each finding lands on its ValidationPath line, with its severity and check name', () => {
    const placements = findingPlacements(
      [
        {
          severity: 'error',
          message: 'Bucket name invalid',
          logicalId: 'Bucket',
          path: '/Resources/Bucket/Properties/BucketName',
          check: 'PROPERTY_VALIDATION',
        },
        { severity: 'warning', message: 'Queue may be replaced', logicalId: 'Queue', check: 'NAME_CONFLICT' },
      ],
      locateHere,
    );
    assert.deepEqual(
      placements.map((p) => [p.severity, p.location?.line, p.code, p.message]),
      [
        ['error', lineOf('BucketName'), 'PROPERTY_VALIDATION', 'Bucket name invalid'],
        ['warning', lineOf('Queue:'), 'NAME_CONFLICT', 'Queue may be replaced'],
      ],
    );
  });

  it('a finding that cannot be placed goes to the top of the template and names its resource', () => {
    const [placement] = findingPlacements([{ severity: 'error', message: 'Quota exceeded', logicalId: 'Gone' }], locateHere);
    assert.equal(placement.location, undefined);
    assert.equal(placement.message, 'Gone: Quota exceeded');
  });

  it("a staging's findings are read from the deployment and never carry a secret", () => {
    const snapshot = finishedIn('failed', true, {
      initialized: initialized('hunter2-secret'),
      findings: [{ severity: 'error', message: 'Value hunter2-secret is not a valid bucket name', logicalId: 'Bucket' }],
    });
    const [placement] = stagedFindingPlacements(snapshot, locateHere);
    assert.equal(placement.location?.line, lineOf('Bucket:'));
    assert.ok(!placement.message.includes('hunter2-secret'), placement.message);
  });
});

describe('diagnostic placement: failures', () => {
  it('the root cause goes on its property line with hook, remediation and request ID; cancellations get none', () => {
    const snapshot = finishedIn('rolledBack', true, {
      ...withEvents(
        failedRun({
          propertyPath: 'Properties.QueueName',
          requestId: 'req-42',
          hook: {
            type: 'Private::Guard::Names',
            status: 'HOOK_COMPLETE_FAILED',
            reason: 'name rule',
            annotations: [{ name: 'UniqueName', status: 'FAILED', message: 'taken', remediation: 'Pick another name' }],
          },
        }),
      ),
      initialized: initialized(),
    });
    const placements = endedFailurePlacements(snapshot, locateHere);
    assert.equal(placements.length, 1, 'the cancelled Bucket is a consequence, not a problem to fix');
    const [root] = placements;
    assert.equal(root.location?.line, lineOf('QueueName'));
    assert.equal(root.code, 'CREATE_FAILED');
    assert.equal(
      root.message,
      [
        'Root cause: Queue CREATE_FAILED: Queue orders already exists',
        'Hook Private::Guard::Names (HOOK_COMPLETE_FAILED): name rule',
        '  UniqueName (FAILED): taken Remediation: Pick another name',
        'Property: Properties.QueueName',
        'Request ID: req-42',
      ].join('\n'),
    );
  });

  it('without a property path the failure lands on the logical ID line', () => {
    const snapshot = finishedIn('rolledBack', true, { ...withEvents(failedRun()), initialized: initialized() });
    assert.equal(endedFailurePlacements(snapshot, locateHere)[0]?.location?.line, lineOf('Queue:'));
  });

  it('a success clears, a failure after the changes ran replaces, a staging failure or an abort keeps', () => {
    assert.equal(failureVerdict(finishedIn('succeeded', false, { executed: true })), 'clear');
    assert.equal(failureVerdict(finishedIn('rolledBack', true, { ...withEvents(failedRun()) })), 'replace');
    assert.equal(failureVerdict(finishedIn('failed', true, { executed: false })), 'keep');
    assert.equal(failureVerdict(finishedIn('aborted', false)), 'keep');
    assert.equal(failureVerdict(finishedIn('rolledBack', false, { executed: true, stopRequested: true })), 'keep', 'a Stop is not a failure to pin');
  });
});
