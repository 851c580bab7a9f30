/**
 * Root causes inside nested stacks, through the real SDK against cfn-sim's real child stacks: an
 * unrecoverable stack's lastFailure follows the nested stack's row ("Embedded stack … was not
 * successfully created") into the child's own events, keyed "Parent/Child" (deeper: a chain);
 * a failed read of the child keeps the shallower answer and never changes the condition. Early
 * validation that fails a nested change set: its findings, keyed under the nested stack's row.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { FaultProxy } from '../../tools/fault-proxy/index';
import { awsProvider, startDeployment, templateSource, uniqueDeploymentId, waitForEnd } from '../support/awsDeployment';

const signal = new AbortController().signal;
const target = (name: string) => ({ provider: 'aws' as const, name, region: 'us-east-1' });

const FAILING_CHILD = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 4 } }
  Bucket:
    Type: AWS::S3::Bucket
    Metadata: { Stackwatch: { Fail: "Bucket name taken", Seconds: 1 } }
`;
const HOOKED_CHILD = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      Stackwatch:
        Seconds: 1
        Hook:
          Type: Private::Guard::S3Encryption
          Reason: "Template failed validation, the following rule(s) failed: S3BucketEncryption."
          On: [create]
          Annotations:
            - AnnotationName: S3BucketEncryption
              Status: FAILED
              StatusMessage: "BucketEncryption is not set"
              SeverityLevel: HIGH
`;
const nested = (logicalId: string, url: string): string => `  ${logicalId}:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: ${url} }\n`;
const root = (...resources: string[]): string =>
  `Resources:\n${resources.join('')}  Topic:\n    Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Seconds: 2 } }\n`;

describe('lastFailure through nested stacks (cfn-sim)', () => {
  let sim: CfnSim;
  let provider: AwsProvider;

  before(async () => {
    sim = await startCfnSim({ speed: 20 });
    provider = awsProvider(sim.url, { changeSetPollMs: 50 });
  });
  beforeEach(() => {
    sim.reset();
    sim.setSpeed(20);
  });
  after(async () => {
    provider.dispose();
    await sim.close();
  });

  async function deadStack(name: string, template: string): Promise<void> {
    const end = await waitForEnd(startDeployment({ provider, stackName: name, template }));
    assert.equal(end.context.providerStatus, 'ROLLBACK_COMPLETE');
  }

  it('names the resource inside the nested stack, keyed Parent/Child, read from the child by its ARN', async () => {
    const failing = sim.putObject('tpl', 'failing.yaml', FAILING_CHILD);
    await deadStack('nested-dead', root(nested('Storage', failing)));
    const fresh = awsProvider(sim.url);
    try {
      const before = sim.calls().length;
      const described = await fresh.describeTarget({ target: target('nested-dead'), signal });
      assert.equal(described.condition, 'unrecoverable');
      assert.equal(described.lastFailure?.logicalId, 'Storage/Bucket', JSON.stringify(described.lastFailure));
      assert.equal(described.lastFailure?.reason, 'Bucket name taken');
      const childReads = sim
        .calls()
        .slice(before)
        .filter((c) => c.action === 'DescribeStackEvents' && /:stack\/nested-dead-Storage-/.test(c.params.StackName ?? ''));
      assert.ok(childReads.length >= 1 && childReads.length <= 3, `the child read by its ARN, bounded: ${childReads.length}`);
    } finally {
      fresh.dispose();
    }
  });

  it('goes down a chain of nested stacks: App/Inner/Bucket', async () => {
    const failing = sim.putObject('tpl', 'failing.yaml', FAILING_CHILD);
    const middle = sim.putObject('tpl', 'middle.yaml', `Resources:\n${nested('Inner', failing)}`);
    await deadStack('nested-deep', root(nested('App', middle)));
    const fresh = awsProvider(sim.url);
    try {
      const described = await fresh.describeTarget({ target: target('nested-deep'), signal });
      assert.equal(described.lastFailure?.logicalId, 'App/Inner/Bucket', JSON.stringify(described.lastFailure));
      assert.equal(described.lastFailure?.reason, 'Bucket name taken');
    } finally {
      fresh.dispose();
    }
  });

  async function staged(name: string, template: string) {
    const stage = await provider.stage({
      target: target(name),
      template: templateSource(template),
      parameters: [],
      capabilities: [],
      condition: 'missing',
      deploymentId: uniqueDeploymentId('nested-validation'),
      attempt: 0,
      signal,
    });
    for (let i = 0; i < 300; i++) {
      const described = await provider.describeStaged({ target: target(name), stagedId: stage.stagedId, signal });
      if (described.state !== 'pending') return described;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`change set for ${name} never settled`);
  }

  const BAD_BUCKET = `Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: Not_A..Valid-Bucket\n`;

  it('early validation failing a nested change set: its findings keyed Parent/Child at their path, read by the nested ARN', async () => {
    const bad = sim.putObject('tpl', 'bad.yaml', BAD_BUCKET);
    const described = await staged('nested-invalid', root(nested('Storage', bad)));
    assert.equal(described.state, 'failed');
    assert.equal(described.findings?.length, 1, JSON.stringify(described));
    const finding = described.findings?.[0];
    assert.equal(finding?.logicalId, 'Storage/Bucket');
    assert.equal(finding?.path, '/Resources/Bucket/Properties/BucketName');
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.check, 'PROPERTY_VALIDATION');
    assert.match(described.reason ?? '', /^The change set failed validation: 1 problem\. Storage\/Bucket: /);
    const read = sim.calls().find((c) => c.action === 'DescribeEvents' && /:changeSet\/.*-Storage\//.test(c.params.ChangeSetName ?? ''));
    assert.ok(
      read,
      `read by the nested change set's ARN: ${JSON.stringify(
        sim
          .calls()
          .filter((c) => c.action === 'DescribeEvents')
          .map((c) => c.params),
      )}`,
    );
    assert.equal(read.params['Filters.FailedEvents'], 'true');
  });

  it('two levels down: App/Inner/Bucket', async () => {
    const bad = sim.putObject('tpl', 'bad.yaml', BAD_BUCKET);
    const middle = sim.putObject('tpl', 'middle.yaml', `Resources:\n${nested('Inner', bad)}`);
    const described = await staged('nested-invalid-deep', root(nested('App', middle)));
    assert.equal(described.state, 'failed');
    assert.deepEqual(
      described.findings?.map((f) => [f.logicalId, f.path]),
      [['App/Inner/Bucket', '/Resources/Bucket/Properties/BucketName']],
    );
  });

  it('a hook that fails a resource inside a nested stack: its row carries the GetHookResult annotations', async () => {
    const hooked = sim.putObject('tpl', 'hooked.yaml', HOOKED_CHILD);
    const end = await waitForEnd(startDeployment({ provider, stackName: 'nested-hook', template: root(nested('Storage', hooked)) }));
    assert.equal(end.context.providerStatus, 'ROLLBACK_COMPLETE');
    const hooks = end.context.events.filter((e) => e.logicalId === 'Storage/Bucket' && e.hook);
    assert.ok(hooks.length > 0, JSON.stringify(end.context.events.filter((e) => e.logicalId === 'Storage/Bucket')));
    const annotated = hooks.find((e) => (e.hook?.annotations?.length ?? 0) > 0);
    assert.equal(annotated?.hook?.annotations?.[0]?.name, 'S3BucketEncryption', JSON.stringify(hooks));
    assert.equal(annotated?.hook?.annotations?.[0]?.message, 'BucketEncryption is not set');
    assert.ok(
      sim.calls().some((c) => c.action === 'GetHookResult'),
      'GetHookResult was asked',
    );
  });

  describe('when the child cannot be read', () => {
    let proxy: FaultProxy;
    before(async () => {
      proxy = await FaultProxy.start({ upstream: sim.url });
    });
    after(async () => proxy.close());

    it('keeps the nested stack row as the answer, and the condition stands', async () => {
      const failing = sim.putObject('tpl', 'failing.yaml', FAILING_CHILD);
      await deadStack('nested-unread', root(nested('Storage', failing)));
      proxy.reset();
      proxy.add({
        match: { action: 'DescribeStackEvents' },
        fault: { kind: 'httpStatus', status: 403, body: 'denied', contentType: 'text/plain' },
        times: 100,
      });
      const via = awsProvider(proxy.url);
      try {
        const described = await via.describeTarget({ target: target('nested-unread'), signal });
        assert.equal(described.condition, 'unrecoverable');
        assert.equal(described.providerStatus, 'ROLLBACK_COMPLETE');
        assert.equal(described.lastFailure?.logicalId, 'Storage');
        assert.match(described.lastFailure?.reason ?? '', /^Embedded stack arn:\S+ was not successfully created/);
        assert.ok(
          proxy.log.some((e) => e.action === 'DescribeStackEvents'),
          'the child was asked',
        );
      } finally {
        via.dispose();
      }
    });
  });
});
