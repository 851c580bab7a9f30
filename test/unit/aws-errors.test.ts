/**
 * How the AWS adapter reads what comes back: every modeled CloudFormation exception, the
 * ValidationError wordings that mean something specific, and answers that cannot be read
 * (garbage, cut off, empty, HTML from a proxy). All through the real SDK, over HTTP, against a
 * local server that answers exactly what each case needs.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import * as CloudFormationSdk from '@aws-sdk/client-cloudformation';
import { CloudFormationClient, CreateChangeSetCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloudFormationClient, createS3Client } from '../../src/providers/aws/clients';
import { NoAnswerError, isNoUpdatesError, toProviderError, type ErrorContext } from '../../src/providers/aws/errors';
import { ProviderError, type ProviderErrorCode } from '../../src/providers/provider';
import { ScriptedServer, type Reply } from '../support/scriptedServer';

const CREDENTIALS = { accessKeyId: 'AKIASTACKWATCHTEST', secretAccessKey: 'stackwatch-test-secret' };
const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

function xml(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return (res) => {
    res.writeHead(status, { 'content-type': 'text/xml', ...headers });
    res.end(body);
  };
}

function errorResponse(status: number, code: string, message: string): Reply {
  return xml(
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
  );
}

const DESCRIBE_OK = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root is still XML -->
<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member><StackName>shop</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeStacksResponse>`;

/** nginx's page, as it sends it: not well-formed XML (an unclosed <hr>). */
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const CONTEXT: ErrorContext = { operation: 'DescribeStacks', region: 'us-east-1' };

async function failureOf(call: () => Promise<unknown>, context: ErrorContext = CONTEXT): Promise<{ raw: unknown; mapped: ProviderError }> {
  try {
    await call();
  } catch (raw) {
    return { raw, mapped: toProviderError(raw, context) };
  }
  assert.fail('the call succeeded');
}

/**
 * Every exception class the SDK models, with the wire code CloudFormation sends for it (the
 * awsQueryError trait), its HTTP status and the code Stackwatch gives it. Written out here, not
 * read from the adapter, so a wrong row fails.
 */
const MODELED: Record<string, [wire: string, status: number, code: ProviderErrorCode]> = {
  AlreadyExistsException: ['AlreadyExistsException', 400, 'Conflict'],
  CFNRegistryException: ['CFNRegistryException', 400, 'Validation'],
  ChangeSetNotFoundException: ['ChangeSetNotFound', 404, 'NotFound'],
  ConcurrentResourcesLimitExceededException: ['ConcurrentResourcesLimitExceeded', 429, 'Throttling'],
  CreatedButModifiedException: ['CreatedButModifiedException', 409, 'Conflict'],
  GeneratedTemplateNotFoundException: ['GeneratedTemplateNotFound', 404, 'NotFound'],
  HookResultNotFoundException: ['HookResultNotFound', 404, 'NotFound'],
  InsufficientCapabilitiesException: ['InsufficientCapabilitiesException', 400, 'Validation'],
  InvalidChangeSetStatusException: ['InvalidChangeSetStatus', 400, 'Conflict'],
  InvalidOperationException: ['InvalidOperationException', 400, 'Unsupported'],
  InvalidStateTransitionException: ['InvalidStateTransition', 400, 'Conflict'],
  LimitExceededException: ['LimitExceededException', 400, 'Validation'],
  NameAlreadyExistsException: ['NameAlreadyExistsException', 409, 'Conflict'],
  OperationIdAlreadyExistsException: ['OperationIdAlreadyExistsException', 409, 'Conflict'],
  OperationInProgressException: ['OperationInProgressException', 409, 'Conflict'],
  OperationNotFoundException: ['OperationNotFoundException', 404, 'NotFound'],
  OperationStatusCheckFailedException: ['ConditionalCheckFailed', 400, 'Conflict'],
  ResourceScanInProgressException: ['ResourceScanInProgress', 400, 'Conflict'],
  ResourceScanLimitExceededException: ['ResourceScanLimitExceeded', 400, 'Validation'],
  ResourceScanNotFoundException: ['ResourceScanNotFound', 400, 'NotFound'],
  StackInstanceNotFoundException: ['StackInstanceNotFoundException', 404, 'NotFound'],
  StackNotFoundException: ['StackNotFoundException', 404, 'NotFound'],
  StackRefactorNotFoundException: ['StackRefactorNotFoundException', 404, 'NotFound'],
  StackSetNotEmptyException: ['StackSetNotEmptyException', 409, 'Conflict'],
  StackSetNotFoundException: ['StackSetNotFoundException', 404, 'NotFound'],
  StaleRequestException: ['StaleRequestException', 409, 'Conflict'],
  TokenAlreadyExistsException: ['TokenAlreadyExistsException', 400, 'Conflict'],
  TypeConfigurationNotFoundException: ['TypeConfigurationNotFoundException', 404, 'NotFound'],
  TypeNotFoundException: ['TypeNotFoundException', 404, 'NotFound'],
};

describe('AWS errors', () => {
  const server = new ScriptedServer((res) => res.end());
  let cfn: CloudFormationClient;
  /** The SDK as anyone would build it, without our answer guard: its own errors must map too. */
  let bareCfn: CloudFormationClient;

  before(async () => {
    await server.start();
    // One attempt: each case is one answer, and the SDK's own retries are not under test here.
    cfn = createCloudFormationClient({ region: 'us-east-1', endpoint: server.url, credentials: CREDENTIALS, maxAttempts: 1 });
    bareCfn = new CloudFormationClient({ region: 'us-east-1', endpoint: server.url, credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    cfn.destroy();
    bareCfn.destroy();
    await server.stop();
  });

  describe('every exception the CloudFormation SDK models has a deliberate code', () => {
    it('the table above lists exactly the exception classes the SDK exports', () => {
      const exported = Object.entries(CloudFormationSdk)
        .filter(([, value]) => typeof value === 'function' && value.prototype instanceof CloudFormationSdk.CloudFormationServiceException)
        .map(([name]) => name)
        .sort();
      assert.equal(exported.length, 29);
      assert.deepEqual(exported, Object.keys(MODELED).sort());
    });

    for (const [className, [wire, status, code]] of Object.entries(MODELED)) {
      it(`${wire} (HTTP ${status}) → ${className} → ${code}`, async () => {
        server.reply = errorResponse(status, wire, `Something about ${className}`);
        const { raw, mapped } = await failureOf(() => cfn.send(new DescribeStacksCommand({ StackName: 'shop' })));
        assert.equal((raw as Error).name, className, 'the SDK names the error after its class');
        assert.equal(mapped.code, code);
        assert.notEqual(mapped.code, 'Unknown');
        assert.equal(mapped.details.providerCode, className);
        assert.equal(mapped.message, `DescribeStacks: Something about ${className}`);
      });
    }

    it('InvalidChangeSetStatus (DeleteChangeSet while the set is still being created) is a Conflict that says to wait', async () => {
      server.reply = errorResponse(400, 'InvalidChangeSetStatus', 'Cannot delete ChangeSet in status CREATE_IN_PROGRESS');
      const { mapped } = await failureOf(() => cfn.send(new DescribeStacksCommand({})), { operation: 'DeleteChangeSet' });
      assert.equal(mapped.code, 'Conflict');
      assert.equal(mapped.retryable, false);
      assert.match(mapped.details.hint ?? '', /still being created.*Wait until it is created/);
    });
  });

  describe('ValidationError, told apart by its wording', () => {
    const CASES: Array<[message: string, code: ProviderErrorCode, noUpdates: boolean]> = [
      ['No updates are to be performed.', 'Validation', true],
      ['Stack [shop] does not exist', 'NotFound', false],
      ['Stack with id shop does not exist', 'NotFound', false],
      ['Stack:arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1 is in UPDATE_IN_PROGRESS state and can not be updated.', 'Conflict', false],
      ['Stack [shop] already exists and cannot be created again with the changeSet [stackwatch-1].', 'Conflict', false],
      ['Template format error: Unresolved resource dependencies [Queue] in the Resources block of the template', 'Validation', false],
    ];
    for (const [message, code, noUpdates] of CASES) {
      it(`"${message.slice(0, 60)}…" → ${code}${noUpdates ? ', recognised as no updates' : ''}`, async () => {
        server.reply = errorResponse(400, 'ValidationError', message);
        const { raw, mapped } = await failureOf(
          () => cfn.send(new CreateChangeSetCommand({ StackName: 'shop', ChangeSetName: 'stackwatch-1', TemplateBody: '{}' })),
          { operation: 'CreateChangeSet' },
        );
        assert.equal(mapped.code, code);
        assert.equal(isNoUpdatesError(raw), noUpdates, 'on the SDK error');
        assert.equal(isNoUpdatesError(mapped), noUpdates, 'on the ProviderError');
        assert.equal(mapped.details.providerCode, noUpdates ? 'NoUpdatesToPerform' : 'ValidationError');
      });
    }

    it('isNoUpdatesError is false for anything else, including the same words under another code', () => {
      assert.equal(isNoUpdatesError(new ProviderError('Validation', 'No updates are to be performed.', { providerCode: 'ValidationError' })), false);
      assert.equal(isNoUpdatesError(Object.assign(new Error('No updates are to be performed.'), { name: 'Throttling' })), false);
      assert.equal(isNoUpdatesError(undefined), false);
      assert.equal(isNoUpdatesError('No updates are to be performed.'), false);
    });
  });

  describe('an answer that cannot be read is Transient (retried), never a decision', () => {
    const CUT_XML = `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member><StackName>shop</StackName><StackSt`;
    const CASES: Array<{ name: string; reply: Reply; message: RegExp; bareSdkThrows: boolean }> = [
      {
        name: 'garbage bytes',
        reply: xml(200, '\u0000\u0001 not xml at all <<>>&&'),
        message: /could not be read: it is not valid XML \(HTTP 200\)/,
        bareSdkThrows: true,
      },
      {
        name: 'XML cut mid-element',
        reply: xml(200, CUT_XML),
        message: /could not be read: it is not valid XML \(HTTP 200\): XML parse error/,
        bareSdkThrows: true,
      },
      {
        name: 'XML cut by a closed connection (Content-Length promises more)',
        reply: (res) => {
          res.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(CUT_XML.length + 400) });
          res.write(CUT_XML);
          setTimeout(() => res.socket?.destroy(), 20);
        },
        message: /could not be read: it was cut off before the end \(HTTP 200\)/,
        bareSdkThrows: true,
      },
      {
        name: 'an HTML 502 from a proxy',
        reply: xml(502, HTML_502, { 'content-type': 'text/html' }),
        message: /could not be read: it was an HTML page \(HTTP 502\), which usually comes from a proxy/,
        bareSdkThrows: true,
      },
      {
        name: 'an HTML 400 from a proxy',
        reply: xml(400, '<html><body>Bad request</html>', { 'content-type': 'text/html' }),
        message: /it was an HTML page \(HTTP 400\)/,
        bareSdkThrows: true,
      },
      {
        name: 'an error answer cut mid-element',
        reply: xml(400, '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationEr'),
        message: /it is not valid XML \(HTTP 400\)/,
        bareSdkThrows: true,
      },
      {
        name: 'an error with no code (empty 500)',
        reply: (res) => res.writeHead(500).end(),
        message: /it reports a failure \(HTTP 500\) but carries no error code/,
        bareSdkThrows: true,
      },
      {
        name: "a proxy's 403 page with no error code",
        reply: xml(403, '<html><body>Forbidden by policy</body></html>', { 'content-type': 'text/html' }),
        message: /it reports a failure \(HTTP 403\) but carries no error code/,
        bareSdkThrows: true,
      },
      // The bare SDK takes these for an empty answer: DescribeStacks would say "no stack".
      {
        name: 'an empty 200 with Content-Length 0',
        reply: xml(200, '', { 'content-length': '0' }),
        message: /could not be read: it was empty \(HTTP 200\)/,
        bareSdkThrows: false,
      },
      { name: 'an empty 200, chunked', reply: xml(200, ''), message: /could not be read: it was empty \(HTTP 200\)/, bareSdkThrows: false },
      {
        name: 'a well-formed HTML 200 (captive portal)',
        reply: xml(200, '<!DOCTYPE html><html><body><p>Log in to continue</p></body></html>', { 'content-type': 'text/html' }),
        message: /it was an HTML page \(HTTP 200\)/,
        bareSdkThrows: false,
      },
      {
        name: "another operation's answer",
        reply: xml(200, `<DescribeStackEventsResponse xmlns="${NS}"><DescribeStackEventsResult/></DescribeStackEventsResponse>`),
        message: /it is not an answer to DescribeStacks \(HTTP 200\) \(it starts with <DescribeStackEventsResponse>\)/,
        bareSdkThrows: false,
      },
      {
        name: 'JSON',
        reply: xml(200, '{"Stacks": []}', { 'content-type': 'application/json' }),
        message: /it is not valid XML \(HTTP 200\)/,
        bareSdkThrows: true,
      },
    ];

    for (const { name, reply, message } of CASES) {
      it(`${name} → Transient, "could not be read"`, async () => {
        server.reply = reply;
        const { mapped } = await failureOf(() => cfn.send(new DescribeStacksCommand({ StackName: 'shop' })));
        assert.equal(mapped.code, 'Transient');
        assert.equal(mapped.retryable, true);
        assert.match(mapped.message, /^DescribeStacks: the answer from CloudFormation could not be read: /);
        assert.match(mapped.message, message);
        assert.ok(mapped.message.length < 300, 'bounded: the body itself is never echoed');
        assert.ok(mapped.details.hint, 'says what to check');
      });
    }

    for (const { name, reply, message } of CASES.filter((c) => c.bareSdkThrows)) {
      it(`${name}, from an SDK client built without the guard → the same Transient`, async () => {
        server.reply = reply;
        const { mapped } = await failureOf(() => bareCfn.send(new DescribeStacksCommand({ StackName: 'shop' })));
        assert.equal(mapped.code, 'Transient');
        assert.match(mapped.message, message);
      });
    }

    it('a real answer passes the guard untouched (XML declaration and a comment before the root)', async () => {
      server.reply = xml(200, DESCRIBE_OK);
      const answer = await cfn.send(new DescribeStacksCommand({ StackName: 'shop' }));
      assert.equal(answer.Stacks?.[0]?.StackStatus, 'UPDATE_COMPLETE');
      assert.equal(answer.Stacks?.[0]?.StackName, 'shop');
    });

    it('a real error answer still reaches the SDK with its code', async () => {
      server.reply = errorResponse(400, 'ValidationError', 'Stack with id shop does not exist');
      const { mapped } = await failureOf(() => cfn.send(new DescribeStacksCommand({ StackName: 'shop' })));
      assert.equal(mapped.code, 'NotFound');
    });
  });

  describe('S3 uploads', () => {
    const UPLOAD: ErrorContext = { operation: 'Uploading the template to s3://templates/shop.yaml', service: 'S3' };
    const put = async () => {
      const s3 = await createS3Client({ region: 'us-east-1', endpoint: server.url, credentials: CREDENTIALS, maxAttempts: 1 });
      try {
        return await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'shop.yaml', Body: 'Resources: {}' }));
      } finally {
        s3.destroy();
      }
    };

    it('a 200 without the ETag every stored object gets was not S3: Transient', async () => {
      server.reply = (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to the hotel wifi</body></html>');
      const { mapped } = await failureOf(put, UPLOAD);
      assert.equal(mapped.code, 'Transient');
      assert.equal(
        mapped.message,
        'Uploading the template to s3://templates/shop.yaml: the answer from S3 could not be read: it says success (HTTP 200) but lacks the ETag header every stored object gets.',
      );
    });

    it('a 200 with an ETag is a stored object', async () => {
      server.reply = (res) => res.writeHead(200, { etag: '"9b2cf535f27731c974343645a3985328"' }).end();
      const answer = await put();
      assert.equal(answer.ETag, '"9b2cf535f27731c974343645a3985328"');
    });

    it('an HTML 502 names S3, not CloudFormation', async () => {
      server.reply = xml(502, HTML_502, { 'content-type': 'text/html' });
      const { mapped } = await failureOf(put, UPLOAD);
      assert.equal(mapped.code, 'Transient');
      assert.match(mapped.message, /the answer from S3 could not be read: it was an HTML page \(HTTP 502\)/);
    });
  });

  describe('no answer in time', () => {
    it('the request timeout reads in seconds', () => {
      const mapped = toProviderError(new NoAnswerError('CloudFormation', 'answer', 20_000), CONTEXT);
      assert.equal(mapped.code, 'Transient');
      assert.equal(mapped.retryable, true);
      assert.equal(mapped.message, 'DescribeStacks: CloudFormation did not answer within 20 s.');
    });

    it('the connection timeout names the endpoint', () => {
      const mapped = toProviderError(new NoAnswerError('CloudFormation', 'connect', 5_000), { ...CONTEXT, endpoint: 'http://localhost:4566' });
      assert.equal(mapped.message, 'DescribeStacks: could not connect to CloudFormation at http://localhost:4566 within 5 s.');
      assert.match(mapped.details.hint ?? '', /stackwatch\.aws\.endpoint \(http:\/\/localhost:4566\)/);
    });

    it('a connection reset keeps its own words (the SDK names it TimeoutError too)', () => {
      const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
      const mapped = toProviderError(reset, CONTEXT);
      assert.equal(mapped.code, 'Transient');
      assert.equal(mapped.message, 'DescribeStacks: Could not reach CloudFormation (ECONNRESET).');
    });
  });
});
