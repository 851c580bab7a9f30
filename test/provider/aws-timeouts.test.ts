/**
 * No AWS call can hang: the real SDK clients from clients.ts against an endpoint that accepts the
 * connection and never answers. Then the same clients against the local simulator and moto, to
 * show that the answer guard lets every real answer through.
 *
 * The only bounds on time are each test's own timeout (a hang fails the test); nothing asserts
 * how long a call took.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  createCloudFormationClient,
  createS3Client,
  requestHandlerOptions,
  timeoutsOf,
} from '../../src/providers/aws/clients';
import { toProviderError } from '../../src/providers/aws/errors';
import type { ProviderError } from '../../src/providers/provider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { TEST_CREDENTIALS } from '../support/awsDeployment';
import { pythonWithMoto, startMoto, type MotoServer } from '../support/moto';
import { ScriptedServer } from '../support/scriptedServer';

async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  assert.fail('the call succeeded');
}

const SHORT_MS = 300;
/** A stall must end the call long before this. */
const HANG_GUARD = { timeout: 15_000 };

describe('AWS calls have a deadline', () => {
  /** By default it answers nothing, ever. */
  const server = new ScriptedServer(() => undefined);
  before(() => server.start());
  after(() => server.stop());

  it('defaults: connect 5 s, answer 20 s, a request timeout that throws, and an idle-socket timeout for a stalled body', async () => {
    assert.deepEqual(timeoutsOf({}), { connectMs: DEFAULT_CONNECTION_TIMEOUT_MS, answerMs: DEFAULT_REQUEST_TIMEOUT_MS });
    assert.equal(DEFAULT_CONNECTION_TIMEOUT_MS, 5_000);
    assert.equal(DEFAULT_REQUEST_TIMEOUT_MS, 20_000);
    assert.deepEqual(timeoutsOf({ requestTimeoutMs: 7_000, connectionTimeoutMs: 2_000 }), { connectMs: 2_000, answerMs: 7_000 });
    assert.deepEqual(
      timeoutsOf({ requestTimeoutMs: 0, connectionTimeoutMs: Number.NaN }),
      { connectMs: 5_000, answerMs: 20_000 },
      'nonsense falls back to the defaults',
    );
    assert.deepEqual(requestHandlerOptions(timeoutsOf({})), {
      connectionTimeout: 5_000,
      requestTimeout: 20_000,
      throwOnRequestTimeout: true,
      socketTimeout: 20_000,
    });

    // And they reach the SDK's HTTP handler of a real client (read after one call resolves its config).
    server.reply = (res) =>
      res
        .writeHead(400, { 'content-type': 'text/xml' })
        .end('<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id x does not exist</Message></Error></ErrorResponse>');
    const cfn = createCloudFormationClient({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'x' })));
    const handler = cfn.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> };
    const config = handler.httpHandlerConfigs();
    assert.equal(config.connectionTimeout, 5_000);
    assert.equal(config.requestTimeout, 20_000);
    assert.equal(config.throwOnRequestTimeout, true);
    assert.equal(config.socketTimeout, 20_000);
    cfn.destroy();
  });

  it(
    "the locked HTTP handler's requestTimeout alone only warns: the call is still waiting well after it (why throwOnRequestTimeout is set)",
    HANG_GUARD,
    async () => {
      server.reply = () => undefined;
      const warnings: string[] = [];
      const logger = { debug: () => undefined, info: () => undefined, warn: (message: unknown) => warnings.push(String(message)), error: () => undefined };
      const bare = new CloudFormationClient({
        region: 'us-east-1',
        endpoint: server.url,
        credentials: TEST_CREDENTIALS,
        maxAttempts: 1,
        logger,
        requestHandler: { requestTimeout: SHORT_MS },
      });
      const abort = new AbortController();
      const call = bare.send(new DescribeStacksCommand({ StackName: 'x' }), { abortSignal: abort.signal });
      const outcome = await Promise.race([
        call.then(
          () => 'answered',
          () => 'rejected',
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), SHORT_MS * 5)),
      ]);
      abort.abort();
      await call.catch(() => undefined);
      bare.destroy();
      assert.equal(outcome, 'still waiting');
      assert.ok(
        warnings.some((w) => /exceeded the configured 300 ms requestTimeout.*throwOnRequestTimeout=true/s.test(w)),
        `warned: ${warnings.join(' | ')}`,
      );
    },
  );

  it('DescribeStacks to an endpoint that never answers rejects, once, as a retryable Transient', HANG_GUARD, async () => {
    server.reply = () => undefined;
    server.requests = 0;
    // Three SDK attempts allowed: a timeout is still surfaced after the first, so "retrying" shows at once.
    const cfn = createCloudFormationClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 3,
      requestTimeoutMs: SHORT_MS,
    });
    const error = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'shop' })));
    cfn.destroy();
    const mapped: ProviderError = toProviderError(error, { operation: 'DescribeStacks', endpoint: server.url });
    assert.equal(mapped.code, 'Transient');
    assert.equal(mapped.retryable, true);
    assert.equal(mapped.message, 'DescribeStacks: CloudFormation did not answer within 0.3 s.');
    assert.match(mapped.details.hint ?? '', /stackwatch\.aws\.endpoint/);
    assert.equal(server.requests, 1, 'the SDK did not retry the timeout on its own');
  });

  it('a body that stalls after the headers also rejects (the idle-socket timeout)', HANG_GUARD, async () => {
    server.reply = (res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.write('<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult>');
    };
    const cfn = createCloudFormationClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
      requestTimeoutMs: SHORT_MS,
    });
    const error = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'shop' })));
    cfn.destroy();
    const mapped = toProviderError(error, { operation: 'DescribeStacks' });
    assert.equal(mapped.code, 'Transient');
    assert.equal(mapped.message, 'DescribeStacks: CloudFormation did not answer within 0.3 s.');
  });

  it('Abort gets out of a stalled call at once, with the default 20 s timeout still far away', { timeout: 5_000 }, async () => {
    server.reply = () => undefined;
    const cfn = createCloudFormationClient({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const abort = new AbortController();
    const call = cfn.send(new DescribeStackEventsCommand({ StackName: 'shop' }), { abortSignal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const error = await rejection(call);
    cfn.destroy();
    assert.equal(toProviderError(error, { operation: 'DescribeStackEvents' }).code, 'Aborted');
  });

  it('S3 PutObject to an endpoint that never answers rejects as a retryable Transient naming S3', HANG_GUARD, async () => {
    server.reply = () => undefined;
    server.requests = 0;
    const s3 = await createS3Client({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 3, requestTimeoutMs: SHORT_MS });
    const error = await rejection(s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'shop.yaml', Body: 'Resources: {}' })));
    s3.destroy();
    const mapped = toProviderError(error, { operation: 'Uploading the template to s3://templates/shop.yaml', service: 'S3' });
    assert.equal(mapped.code, 'Transient');
    assert.equal(mapped.retryable, true);
    assert.equal(mapped.message, 'Uploading the template to s3://templates/shop.yaml: S3 did not answer within 0.3 s.');
    assert.equal(server.requests, 1);
  });
});

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Queue:
    Type: AWS::SQS::Queue
Outputs:
  QueueUrl:
    Value: !Ref Queue
`;

/** Every CloudFormation call the adapter makes, in the order a deployment makes them. */
async function everyAdapterCall(cfn: CloudFormationClient, stackName: string, settle: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const missing = await rejection(cfn.send(new DescribeStacksCommand({ StackName: stackName })));
  assert.equal(toProviderError(missing, { operation: 'DescribeStacks' }).code, 'NotFound');
  seen.push('DescribeStacks (missing)');
  const validated = await cfn.send(new ValidateTemplateCommand({ TemplateBody: TEMPLATE }));
  assert.ok(validated.$metadata.httpStatusCode === 200);
  seen.push('ValidateTemplate');
  const created = await cfn.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: 'guard-1',
      ChangeSetType: 'CREATE',
      TemplateBody: TEMPLATE,
      ClientToken: 'guard-token-1',
    }),
  );
  assert.ok(created.Id && created.StackId);
  seen.push('CreateChangeSet');
  await settle();
  const described = await cfn.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: created.Id }));
  assert.equal(described.Status, 'CREATE_COMPLETE');
  assert.equal(described.Changes?.[0]?.ResourceChange?.LogicalResourceId, 'Queue');
  seen.push('DescribeChangeSet');
  const listed = await cfn.send(new ListChangeSetsCommand({ StackName: created.StackId }));
  assert.equal(listed.Summaries?.length, 1);
  seen.push('ListChangeSets');
  const template = await cfn.send(new GetTemplateCommand({ StackName: stackName, ChangeSetName: created.Id, TemplateStage: 'Original' }));
  // moto answers '{}' for a change set's template; the point here is that the answer got through.
  assert.equal(typeof template.TemplateBody, 'string');
  seen.push('GetTemplate');
  await cfn.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: created.Id, ClientRequestToken: 'guard-token-1-execute' }));
  seen.push('ExecuteChangeSet');
  await settle();
  const events = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }));
  assert.ok((events.StackEvents ?? []).some((e) => e.LogicalResourceId === stackName));
  seen.push('DescribeStackEvents');
  const stacks = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  assert.equal(stacks.Stacks?.[0]?.StackStatus, 'CREATE_COMPLETE');
  seen.push('DescribeStacks');
  const second = await cfn.send(
    new CreateChangeSetCommand({ StackName: stackName, ChangeSetName: 'guard-2', ChangeSetType: 'UPDATE', TemplateBody: TEMPLATE.replace('QueueUrl', 'Url') }),
  );
  await settle();
  await cfn.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: second.Id }));
  seen.push('DeleteChangeSet');
  await cfn.send(new DeleteStackCommand({ StackName: stackName }));
  seen.push('DeleteStack');
  return seen;
}

describe('the answer guard lets real answers through', () => {
  it('every call the adapter makes, against the local simulator', HANG_GUARD, async () => {
    const sim: CfnSim = await startCfnSim({ speed: 1 });
    const cfn = createCloudFormationClient({ region: 'us-east-1', endpoint: sim.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      const seen = await everyAdapterCall(cfn, 'guarded', async () => sim.advance(600));
      assert.equal(seen.length, 11);
    } finally {
      cfn.destroy();
      await sim.close();
    }
  });

  const moto = pythonWithMoto();
  if (!moto.python) console.log(`# moto part skipped: ${moto.reason}`);
  describe('and against moto, an emulator we did not write', { skip: moto.python ? false : moto.reason }, () => {
    let server: MotoServer;
    before(async () => {
      server = await startMoto(moto.python as string);
    });
    after(() => server.stop());

    it('every CloudFormation call the adapter makes', HANG_GUARD, async () => {
      const cfn = createCloudFormationClient({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      try {
        const seen = await everyAdapterCall(cfn, 'guarded', async () => undefined);
        assert.equal(seen.length, 11);
      } finally {
        cfn.destroy();
      }
    });

    it('an S3 template upload (the answer carries its ETag)', HANG_GUARD, async () => {
      const s3 = await createS3Client({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      try {
        await s3.send(new CreateBucketCommand({ Bucket: 'guarded-templates' }));
        const stored = await s3.send(new PutObjectCommand({ Bucket: 'guarded-templates', Key: 'shop.yaml', Body: TEMPLATE }));
        assert.ok(stored.ETag);
      } finally {
        s3.destroy();
      }
    });
  });
});
