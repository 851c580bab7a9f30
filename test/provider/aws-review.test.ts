/**
 * The AWS review through the real SDK against cfn-sim: property values with NoEcho values masked,
 * deployment options as CreateChangeSet fields, drift-aware change sets, nested change sets as a
 * tree of rows, local nested templates uploaded to the simulator's own S3, and the deployed
 * template. Assertions read the adapter's answers and the simulator's call log.
 */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import {
  type DeploymentOptionValues,
  type DescribeStagedResult,
  type ParameterValue,
  type PollResult,
  ProviderError,
  SECRET_MASK,
  type TargetCondition,
} from '../../src/providers/provider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { awsProvider, templateSource, uniqueDeploymentId } from '../support/awsDeployment';

const SECRET = 'pa55-w0rd-XYZ';
const signal = new AbortController().signal;
const ENDED = new Set<PollResult['phase']>(['succeeded', 'failed', 'rolledBack']);

const APP = (timeout: number, tagValue = 'a') => `Parameters:
  ApiKey:
    Type: String
    NoEcho: true
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: ${timeout}
      Tags:
        - Key: Team
          Value: ${tagValue}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Sub "key-\${ApiKey}"
`;

/** A pass-through to the simulator that drops the connection instead of answering a request `drop` picks. */
async function dropOnce(upstream: string, drop: (form: URLSearchParams) => boolean): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && drop(new URLSearchParams(body.toString('utf8')))) return void req.socket.destroy();
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
      void fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body })
        .then(async (answer) => {
          const kept: Record<string, string> = {};
          answer.headers.forEach((value, key) => {
            if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection') kept[key] = value;
          });
          res.writeHead(answer.status, kept);
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('AWS review (cfn-sim)', () => {
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
  const secretParameter = (value = SECRET): ParameterValue[] => [{ key: 'ApiKey', value, secret: true }];

  async function staged(
    name: string,
    template: string,
    options: { condition?: TargetCondition; parameters?: ParameterValue[]; options?: DeploymentOptionValues; via?: AwsProvider; path?: string } = {},
  ): Promise<{ stagedId: string; deploymentId: string; review: DescribeStagedResult }> {
    const via = options.via ?? provider;
    const deploymentId = uniqueDeploymentId('review');
    const { stagedId } = await via.stage({
      target: target(name),
      template: templateSource(template, options.path),
      parameters: options.parameters ?? [],
      capabilities: [],
      condition: options.condition ?? 'missing',
      deploymentId,
      attempt: 0,
      options: options.options,
      signal,
    });
    for (let i = 0; i < 400; i++) {
      const review = await via.describeStaged({ target: target(name), stagedId, signal });
      if (review.state !== 'pending') return { stagedId, deploymentId, review };
      await sleep(20);
    }
    throw new Error(`change set ${stagedId} never left pending`);
  }

  async function deployed(name: string, template: string, parameters: ParameterValue[] = [], via: AwsProvider = provider): Promise<void> {
    const { stagedId, deploymentId, review } = await staged(name, template, { parameters, via });
    assert.equal(review.state, 'ready', review.reason);
    const { operation } = await via.execute({ target: target(name), stagedId, deploymentId, signal });
    let cursor: string | undefined;
    for (let i = 0; i < 800; i++) {
      const polled = await via.poll({ target: target(name), operation, cursor, signal });
      cursor = polled.cursor;
      if (ENDED.has(polled.phase)) {
        assert.equal(polled.phase, 'succeeded', polled.statusReason);
        return;
      }
      await sleep(20);
    }
    throw new Error(`${name} never finished deploying`);
  }

  describe('property values', () => {
    it('asks for property values and shows each property before and after, with why it changes', async () => {
      await deployed('props', APP(30), secretParameter());
      const { review } = await staged('props', APP(60, 'b'), { condition: 'ready', parameters: secretParameter() });
      assert.equal(review.state, 'ready', review.reason);
      assert.ok(callsOf('DescribeChangeSet').every((c) => c.params.IncludePropertyValues === 'true'));
      const queue = review.changes.find((c) => c.logicalId === 'Queue');
      const timeout = queue?.properties?.find((p) => p.path === 'Properties.VisibilityTimeout');
      assert.deepEqual(
        {
          before: timeout?.before,
          after: timeout?.after,
          changeType: timeout?.changeType,
          source: timeout?.changeSource,
          recreation: timeout?.requiresRecreation,
        },
        { before: '30', after: '60', changeType: 'Modify', source: 'DirectModification', recreation: 'Never' },
      );
      assert.ok(queue?.details?.includes('Properties.VisibilityTimeout'), 'the detail lines stay');
      assert.ok(queue?.afterContext?.includes('60'), 'the resource after, as JSON');
    });

    it('never shows a NoEcho value, in values or contexts, and says a property was masked', async () => {
      await deployed('secret', APP(30), secretParameter());
      const { review } = await staged('secret', APP(30), { condition: 'ready', parameters: secretParameter(`${SECRET}-new`) });
      assert.equal(review.state, 'ready', review.reason);
      const text = JSON.stringify(review);
      assert.ok(!text.includes(SECRET), `a secret leaked: ${text}`);
      const topic = review.changes.find((c) => c.logicalId === 'Topic');
      const name = topic?.properties?.find((p) => p.path === 'Properties.DisplayName');
      assert.equal(name?.masked, true);
      assert.equal(name?.after, SECRET_MASK);
    });

    it('masks a secret this window staged even where the endpoint shows it', async () => {
      // The secret reaches a property CloudFormation would not mask: a plain tag value.
      const leaky = `Parameters:\n  ApiKey:\n    Type: String\n    NoEcho: true\n  Label:\n    Type: String\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n        - Key: Label\n          Value: !Ref Label\n`;
      const parameters: ParameterValue[] = [...secretParameter(), { key: 'Label', value: `x-${SECRET}-y` }];
      const { review } = await staged('leaky', leaky, { parameters });
      assert.equal(review.state, 'ready', review.reason);
      assert.ok(!JSON.stringify(review).includes(SECRET));
      assert.ok(review.changes[0]?.afterContext?.includes(`x-${SECRET_MASK}-y`), review.changes[0]?.afterContext);
    });

    it('leaves values alone that merely contain a NoEcho value too short to mask by substring ("30")', async () => {
      await deployed('short-secret', APP(30), secretParameter('30'));
      const { review } = await staged('short-secret', APP(300), { condition: 'ready', parameters: secretParameter('30') });
      assert.equal(review.state, 'ready', review.reason);
      const queue = review.changes.find((c) => c.logicalId === 'Queue');
      const timeout = queue?.properties?.find((p) => p.path === 'Properties.VisibilityTimeout');
      assert.deepEqual({ before: timeout?.before, after: timeout?.after, masked: timeout?.masked ?? false }, { before: '30', after: '300', masked: false });
      assert.ok(queue?.afterContext?.includes('300') && !queue.afterContext.includes(SECRET_MASK), queue?.afterContext);
    });
  });

  describe('deployment options', () => {
    it('passes the chosen options into CreateChangeSet, each where it applies', async () => {
      await staged('opts-create', APP(30), {
        parameters: secretParameter(),
        options: { express: true, importExisting: true, onStackFailure: 'DELETE', revertDrift: true },
      });
      const create = callsOf('CreateChangeSet')[0]?.params ?? {};
      assert.equal(create['DeploymentConfig.Mode'], 'EXPRESS');
      assert.equal(create['DeploymentConfig.DisableRollback'], 'true');
      assert.equal(create.ImportExistingResources, 'true');
      assert.equal(create.DeploymentMode, undefined, 'no drift to revert on a create');
      assert.equal(create.OnStackFailure, undefined, 'express already turns rollback off');

      sim.reset();
      await staged('opts-fail', APP(30), { parameters: secretParameter(), options: { onStackFailure: 'DO_NOTHING' } });
      assert.equal(callsOf('CreateChangeSet')[0]?.params.OnStackFailure, 'DO_NOTHING');
    });

    it('a drift-aware update sets the drifted property back and shows drift with its previous and actual value', async () => {
      await deployed('drifted', APP(30), secretParameter());
      const answer = await fetch(`${sim.url}/_sim/drift`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stackName: 'drifted', logicalId: 'Queue', properties: { VisibilityTimeout: 90 } }),
      });
      assert.equal(answer.status, 200, await answer.text());
      const { review } = await staged('drifted', APP(30), { condition: 'ready', parameters: secretParameter(), options: { revertDrift: true } });
      assert.equal(callsOf('CreateChangeSet').at(-1)?.params.DeploymentMode, 'REVERT_DRIFT');
      assert.equal(review.state, 'ready', review.reason);
      const queue = review.changes.find((c) => c.logicalId === 'Queue');
      assert.equal(queue?.drift, 'MODIFIED');
      const timeout = queue?.properties?.find((p) => p.path === 'Properties.VisibilityTimeout');
      assert.deepEqual(timeout?.drift, { previous: '30', actual: '90' });
    });
  });

  describe('nested stacks', () => {
    let workspace: string;
    before(async () => {
      workspace = await realpath(await mkdtemp(join(tmpdir(), 'sw-review-')));
      await mkdir(join(workspace, 'nested'));
      await writeFile(
        join(workspace, 'nested', 'network.yaml'),
        `Resources:\n  Data:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./data.yaml\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n`,
      );
      await writeFile(
        join(workspace, 'nested', 'data.yaml'),
        `Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: orders\n`,
      );
    });
    after(() => rm(workspace, { recursive: true, force: true }));

    const ROOT = `Resources:\n  Network:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: nested/network.yaml\n  Bucket:\n    Type: AWS::S3::Bucket\n`;

    it('uploads local nested templates to the bucket and reviews the nested change sets as a tree', async () => {
      const packaging = awsProvider(sim.url, { templateBucket: 'deploy-bucket', templateFile: join(workspace, 'template.yaml'), workspaceFolder: workspace });
      try {
        const { review } = await staged('tree', ROOT, { via: packaging });
        assert.equal(review.state, 'ready', review.reason);
        const create = callsOf('CreateChangeSet')[0]?.params ?? {};
        assert.equal(create.IncludeNestedStacks, 'true');
        assert.match(create.TemplateBody ?? '', /TemplateURL: "https:\/\/deploy-bucket\.s3\.us-east-1\.amazonaws\.com\/stackwatch\/tree\/[0-9a-f]{32}\.yaml"/);
        const objects = (await (await fetch(`${sim.url}/_sim/s3`)).json()) as { bucket: string; key: string }[];
        assert.equal(objects.filter((o) => o.bucket === 'deploy-bucket').length, 2, 'network and data templates uploaded');
        assert.deepEqual(
          review.changes.map((c) => [c.logicalId, c.parent]),
          [
            ['Network', undefined],
            ['Network/Data', 'Network'],
            ['Network/Data/Table', 'Network/Data'],
            ['Network/Vpc', 'Network'],
            ['Bucket', undefined],
          ],
        );
      } finally {
        packaging.dispose();
      }
    });

    it('a lost answer on a nested change set fails the read as retryable, never a tree with a hole', async () => {
      let dropped = 0;
      // Drops the first answer to a nested DescribeChangeSet: the one asked by ARN alone, without the stack name.
      const proxy = await dropOnce(sim.url, (form) => form.get('Action') === 'DescribeChangeSet' && !form.has('StackName') && dropped++ === 0);
      const packaging = awsProvider(proxy.url, { templateBucket: 'deploy-bucket', templateFile: join(workspace, 'template.yaml'), workspaceFolder: workspace });
      try {
        await assert.rejects(staged('lossy', ROOT, { via: packaging }), (error: unknown) => error instanceof ProviderError && error.retryable);
        assert.equal(dropped, 1, 'the nested read was the one that failed');
        const stagedId = sim.stacks().find((s) => s.name === 'lossy')?.changeSets[0]?.id ?? '';
        const again = await packaging.describeStaged({ target: target('lossy'), stagedId, signal });
        assert.deepEqual(
          again.changes.map((c) => c.logicalId),
          ['Network', 'Network/Data', 'Network/Data/Table', 'Network/Vpc', 'Bucket'],
        );
      } finally {
        packaging.dispose();
        await proxy.close();
      }
    });

    it('without a bucket, refuses before anything is created, naming the setting', async () => {
      const unconfigured = awsProvider(sim.url, { templateFile: join(workspace, 'template.yaml'), workspaceFolder: workspace });
      try {
        await assert.rejects(staged('nobucket', ROOT, { via: unconfigured }), /Nested stack Network .*stackwatch\.aws\.templateBucket/);
        assert.equal(callsOf('CreateChangeSet').length, 0);
      } finally {
        unconfigured.dispose();
      }
    });
  });

  describe('deployed template', () => {
    it('is undefined without a stack and for an empty review shell, and the submitted text once deployed', async () => {
      assert.equal(await provider.deployedTemplate({ target: target('never'), signal }), undefined);
      await staged('shell', APP(30), { parameters: secretParameter() });
      assert.equal(await provider.deployedTemplate({ target: target('shell'), signal }), undefined);
      const body = `${APP(30)}# exactly as submitted\n`;
      await deployed('real', body, secretParameter());
      assert.equal(await provider.deployedTemplate({ target: target('real'), signal }), body);
      assert.equal(callsOf('GetTemplate').at(-1)?.params.TemplateStage, 'Original');
    });
  });
});
