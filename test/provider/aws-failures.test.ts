/**
 * Root causes at the depth of today's CloudFormation API, through the real SDK against cfn-sim:
 * event fields (operation, stabilizing, hook, request ID, property path), DescribeEvents'
 * failure details once per operation, GetHookResult annotations, early-validation findings,
 * an unrecoverable stack's last failure, and an endpoint without DescribeEvents.
 * Assertions read the simulator's call log and state.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import type { DeploymentEvent, OperationRef, PollResult, TargetCondition } from '../../src/providers/provider';
import { importExistingHint } from '../../src/providers/aws/validationFindings';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { FaultProxy } from '../../tools/fault-proxy/index';
import { TEST_CREDENTIALS, awsProvider, templateSource, uniqueDeploymentId } from '../support/awsDeployment';

const ENDED = new Set<PollResult['phase']>(['succeeded', 'failed', 'rolledBack']);
const signal = new AbortController().signal;

const HANDLER_REASON =
  'Resource handler returned message: "Invalid parameter: DisplayName (Service: Sns, Status Code: 400, Request ID: 5e1f0c8a-7d2b-4c1e-9f3a-0b6d2e4c8a1f)" (RequestToken: 9a8b7c6d-1111-2222-3333-444455556666, HandlerErrorCode: InvalidRequest)';
const SCHEMA_REASON = 'Properties validation failed for resource Topic with message: #/DisplayName: expected maxLength: 100, actual: 180';

/** A topic that fails on create with `reason`, and a queue that is cancelled because of it. */
const FAILING = (reason: string) => `Resources:
  Topic:
    Type: AWS::SNS::Topic
    Metadata:
      Stackwatch:
        Seconds: 2
        Fail: '${reason.replace(/'/g, "''")}'
        FailOn: [create]
    Properties:
      DisplayName: v1
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      Stackwatch:
        Seconds: 6
`;

const HOOKED = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      Stackwatch:
        Seconds: 2
        Hook:
          Type: Private::Guard::S3Encryption
          Reason: "Template failed validation, the following rule(s) failed: S3BucketEncryption."
          On: [create]
          Annotations:
            - AnnotationName: S3BucketEncryption
              Status: FAILED
              StatusMessage: "BucketEncryption is not set"
              RemediationMessage: |
                Set BucketEncryption
                with SSE-KMS
              RemediationLink: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html
              SeverityLevel: HIGH
`;

const BAD_BUCKET = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: Not_A..Valid-Bucket
`;

const OLD_RUNTIME = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs12.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: exports.handler = async () => 1;
`;

const STABILIZING = `Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Metadata:
      Stackwatch:
        Seconds: 5
    Properties:
      TableName: stabilizing-table
`;

describe('AWS adapter: failures at the depth of DescribeEvents', () => {
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

  const target = (name: string) => ({ provider: 'aws' as const, name, region: 'us-east-1' });
  const callsOf = (action: string) => sim.calls().filter((c) => c.action === action);

  async function staged(via: AwsProvider, name: string, template: string, condition: TargetCondition = 'missing') {
    const deploymentId = uniqueDeploymentId('fail');
    const stage = await via.stage({
      target: target(name),
      template: templateSource(template),
      parameters: [],
      capabilities: [],
      condition,
      deploymentId,
      attempt: 0,
      signal,
    });
    for (let i = 0; i < 300; i++) {
      const described = await via.describeStaged({ target: target(name), stagedId: stage.stagedId, signal });
      if (described.state !== 'pending') return { described, stagedId: stage.stagedId, deploymentId };
      await sleep(20);
    }
    throw new Error(`change set for ${name} never settled`);
  }

  /** Stages, executes and polls like the machine until the end; every poll's result is kept. */
  async function run(via: AwsProvider, name: string, template: string): Promise<{ polls: PollResult[]; operation: OperationRef }> {
    const { described, stagedId, deploymentId } = await staged(via, name, template);
    assert.equal(described.state, 'ready', described.reason);
    const { operation } = await via.execute({ target: target(name), stagedId, deploymentId, signal });
    const polls: PollResult[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 600; i++) {
      const poll = await via.poll({ target: target(name), operation, cursor, signal });
      polls.push(poll);
      cursor = poll.cursor;
      if (ENDED.has(poll.phase)) return { polls, operation };
      await sleep(25);
    }
    throw new Error(`${name} never ended`);
  }

  const events = (polls: readonly PollResult[]): DeploymentEvent[] => polls.flatMap((p) => p.events);
  const details = (polls: readonly PollResult[]): DeploymentEvent[] => polls.flatMap((p) => p.failureDetails ?? []);

  it('a failed create: failure details from DescribeEvents by our OperationId, read once per stage, never as progress', async () => {
    const { polls } = await run(provider, 'root-cause', FAILING(HANDLER_REASON));
    const last = polls.at(-1);
    assert.equal(last?.phase, 'rolledBack');
    const topicDetails = details(polls).filter((d) => d.logicalId === 'Topic');
    assert.equal(topicDetails.length, 1, JSON.stringify(details(polls)));
    const detail = topicDetails[0];
    assert.equal(detail?.status, 'failed');
    assert.equal(detail?.requestId, '5e1f0c8a-7d2b-4c1e-9f3a-0b6d2e4c8a1f');
    assert.equal(detail?.operationType, 'CREATE_STACK');
    // The details name the operation the stream's own failure event belongs to.
    const streamed = events(polls).find((e) => e.logicalId === 'Topic' && e.status === 'failed');
    assert.ok(streamed?.operationId, 'the failed event carries its OperationId');
    assert.equal(detail?.operationId, streamed?.operationId);
    assert.equal(streamed?.requestId, '5e1f0c8a-7d2b-4c1e-9f3a-0b6d2e4c8a1f');
    assert.equal(streamed?.operationType, 'CREATE_STACK');
    // The cancellation the failure caused is no root cause.
    assert.ok(!details(polls).some((d) => d.isCancellation), 'no cancellation among the details');
    // Once when the rollback began, once for what the end added (the rollback's own operation): never every poll.
    const reads = callsOf('DescribeEvents').filter((c) => c.params.OperationId !== undefined);
    assert.ok(reads.length >= 1 && reads.length <= 3, `${reads.length} DescribeEvents calls over ${polls.length} polls`);
    // The operation whose failures were found is read exactly once.
    assert.equal(reads.filter((c) => c.params.OperationId === streamed?.operationId).length, 1);
  });

  it('the reason names the property: propertyPath on the event and on its detail', async () => {
    const { polls } = await run(provider, 'property-path', FAILING(SCHEMA_REASON));
    const streamed = events(polls).find((e) => e.logicalId === 'Topic' && e.status === 'failed');
    assert.equal(streamed?.propertyPath, 'Properties.DisplayName');
    assert.equal(details(polls).find((d) => d.logicalId === 'Topic')?.propertyPath, 'Properties.DisplayName');
  });

  it('a hook failure: the failed resource carries the hook and its GetHookResult annotations, remediation included', async () => {
    const { polls } = await run(provider, 'hooked', HOOKED);
    assert.equal(polls.at(-1)?.phase, 'rolledBack');
    const failed = events(polls).find((e) => e.logicalId === 'Bucket' && e.status === 'failed');
    assert.equal(failed?.hook?.type, 'Private::Guard::S3Encryption');
    assert.equal(failed?.hook?.status, 'HOOK_COMPLETE_FAILED');
    assert.equal(failed?.hook?.invocationPoint, 'PRE_PROVISION');
    const annotation = failed?.hook?.annotations?.[0];
    assert.equal(annotation?.name, 'S3BucketEncryption');
    assert.equal(annotation?.status, 'FAILED');
    assert.equal(annotation?.remediation, 'Set BucketEncryption with SSE-KMS');
    assert.equal(annotation?.severity, 'HIGH');
    assert.equal(callsOf('GetHookResult').length, 1, 'each invocation is read once');
    // DescribeEvents' copy is one failure with the hook and the same annotations on it.
    const detail = details(polls).filter((d) => d.logicalId === 'Bucket');
    assert.equal(detail.length, 1, JSON.stringify(detail));
    assert.equal(detail[0]?.hook?.annotations?.[0]?.remediationLink, 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html');
  });

  it('CONFIGURATION_COMPLETE reads as stabilizing, on the in-progress event only', async () => {
    const { polls } = await run(provider, 'stabilizing', STABILIZING);
    assert.equal(polls.at(-1)?.phase, 'succeeded');
    const table = events(polls).filter((e) => e.logicalId === 'Table');
    assert.equal(table.filter((e) => e.stabilizing).length, 1, JSON.stringify(table));
    assert.equal(table.find((e) => e.stabilizing)?.status, 'inProgress');
    assert.ok(!table.some((e) => e.status === 'succeeded' && e.stabilizing));
  });

  it('an unrecoverable stack tells its last root cause (DescribeEvents by LastOperations), not the cancellation', async () => {
    await run(provider, 'unrecoverable', FAILING(HANDLER_REASON));
    const fresh = awsProvider(sim.url);
    try {
      const before = sim.calls().length;
      const described = await fresh.describeTarget({ target: target('unrecoverable'), signal });
      const asked = sim.calls().slice(before);
      const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: sim.url, credentials: TEST_CREDENTIALS });
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'unrecoverable' }))).Stacks?.[0];
      cfn.destroy();
      const lastOperations = (stack?.LastOperations ?? []).map((o) => o.OperationId);
      assert.ok(
        asked.some((c) => c.action === 'DescribeEvents' && lastOperations.includes(c.params.OperationId ?? '')),
        'read by a LastOperations OperationId',
      );
      assert.ok(!asked.some((c) => c.action === 'DescribeStackEvents'), 'no fallback needed');
      assert.equal(described.condition, 'unrecoverable');
      assert.equal(described.providerStatus, 'ROLLBACK_COMPLETE');
      assert.equal(described.lastFailure?.logicalId, 'Topic');
      assert.equal(described.lastFailure?.requestId, '5e1f0c8a-7d2b-4c1e-9f3a-0b6d2e4c8a1f');
      assert.match(described.lastFailure?.reason ?? '', /Invalid parameter: DisplayName/);
    } finally {
      fresh.dispose();
    }
  });

  it('early validation fails the change set: each VALIDATION_ERROR is a finding at its ValidationPath, and the reason counts them', async () => {
    const { described } = await staged(provider, 'early-validation', BAD_BUCKET);
    assert.equal(described.state, 'failed');
    assert.match(described.reason ?? '', /^The change set failed validation: 1 problem\. Bucket: /);
    assert.doesNotMatch(described.reason ?? '', /AWS::EarlyValidation/);
    assert.equal(described.findings?.length, 1, JSON.stringify(described.findings));
    const finding = described.findings?.[0];
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.logicalId, 'Bucket');
    assert.equal(finding?.path, '/Resources/Bucket/Properties/BucketName');
    assert.equal(finding?.check, 'PROPERTY_VALIDATION');
    const read = callsOf('DescribeEvents').at(-1);
    assert.equal(read?.params['Filters.FailedEvents'], 'true');
    assert.ok(read?.params.ChangeSetName, 'read by change set');
  });

  it('a name conflict ends with the hint to import the existing resource, only when importing was off; with it on the change is an Import', async () => {
    sim.configure({ existingResources: [{ type: 'AWS::S3::Bucket', identifier: 'taken-archive' }] });
    const named = `Resources:
  Archive:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: taken-archive
`;
    const stageWith = async (options: Record<string, boolean>) => {
      const { stagedId } = await provider.stage({
        target: target('name-conflict'),
        template: templateSource(named),
        parameters: [],
        capabilities: [],
        condition: 'missing',
        deploymentId: uniqueDeploymentId('conflict'),
        attempt: 0,
        signal,
        options,
      });
      for (let i = 0; i < 300; i++) {
        const described = await provider.describeStaged({ target: target('name-conflict'), stagedId, signal });
        if (described.state !== 'pending') return { described, stagedId };
        await sleep(20);
      }
      throw new Error('the change set never settled');
    };
    const off = await stageWith({});
    assert.equal(off.described.state, 'failed');
    const conflict = off.described.findings?.find((f) => f.check === 'NAME_CONFLICT_VALIDATION');
    assert.ok(conflict, JSON.stringify(off.described.findings));
    assert.match(conflict.message, /taken-archive/);
    assert.ok(conflict.message.endsWith(importExistingHint()), conflict.message);
    await provider.abortStaged({
      target: target('name-conflict'),
      stagedId: off.stagedId,
      deploymentId: 'x',
      attempt: 0,
      executed: false,
      removeCreatedTarget: true,
      signal,
    });
    const on = await stageWith({ importExisting: true });
    assert.equal(on.described.state, 'ready', on.described.reason);
    assert.deepEqual(
      on.described.changes.map((c) => [c.logicalId, c.action]),
      [['Archive', 'Import']],
    );
  });

  it('a WARN-mode finding leaves the change set ready, as a warning read once', async () => {
    const { described, stagedId } = await staged(provider, 'validation-warning', OLD_RUNTIME);
    assert.equal(described.state, 'ready', described.reason);
    assert.deepEqual(
      described.findings?.map((f) => [f.severity, f.logicalId, f.path]),
      [['warning', 'Fn', '/Resources/Fn/Properties/Runtime']],
    );
    const again = await provider.describeStaged({ target: target('validation-warning'), stagedId, signal });
    assert.equal(again.findings?.length, 1);
    assert.equal(callsOf('DescribeEvents').length, 1, 'the warnings are read once per change set');
  });

  describe('an endpoint without DescribeEvents (InvalidAction)', () => {
    let proxy: FaultProxy;
    before(async () => {
      proxy = await FaultProxy.start({ upstream: sim.url });
    });
    after(async () => proxy.close());

    const INVALID_ACTION = `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Could not find operation DescribeEvents for version 2010-05-15</Message></Error><RequestId>1</RequestId></ErrorResponse>`;

    it('degrades to what the stack events tell, asks once per window, and the outcome and lastFailure stand', async () => {
      proxy.reset();
      proxy.add({ match: { action: 'DescribeEvents' }, fault: { kind: 'httpStatus', status: 400, body: INVALID_ACTION, contentType: 'text/xml' }, times: 100 });
      const via = awsProvider(proxy.url, { changeSetPollMs: 50 });
      try {
        const { polls } = await run(via, 'no-describe-events', FAILING(HANDLER_REASON));
        assert.equal(polls.at(-1)?.phase, 'rolledBack');
        assert.equal(details(polls).length, 0);
        assert.equal(events(polls).find((e) => e.logicalId === 'Topic' && e.status === 'failed')?.requestId, '5e1f0c8a-7d2b-4c1e-9f3a-0b6d2e4c8a1f');
        const described = await via.describeTarget({ target: target('no-describe-events'), signal });
        assert.equal(described.condition, 'unrecoverable');
        // The fallback: the stack's own events, newest first, back to the operation's start.
        assert.equal(described.lastFailure?.logicalId, 'Topic');
        const asked = proxy.log.filter((e) => e.action === 'DescribeEvents').length;
        assert.equal(asked, 1, `DescribeEvents asked ${asked} times`);
      } finally {
        via.dispose();
      }
    });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
