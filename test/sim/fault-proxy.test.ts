/**
 * The fault proxy itself, through the real SDKs against the real simulators: every fault kind,
 * rule counting, the control route and the command line. The simulators' own logs tell whether a
 * request reached them, so "the upstream acted" is checked, not assumed.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ValidateTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { FaultProxy, actionOf } from '../../tools/fault-proxy/index';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { CREDENTIALS, advanceUntil, clientFor, createChangeSetAndWait, deploy, SETTLED } from './support';
import { PARENT, SERVICE_ACCOUNT, apiError, blueprint, clientsFor, settle, uploadBlueprint, type Clients } from './im-support';

const TEMPLATE = `Resources:
  Topic:
    Type: AWS::SNS::Topic
`;

/** What an SDK call was rejected with: its name, HTTP status and message, for assertions. */
async function rejection(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string; code?: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name ?? '', status: e.$metadata?.httpStatusCode, message: e.message ?? '', code: e.code };
  }
  assert.fail('expected the call to fail');
}

function awsClient(url: string): CloudFormationClient {
  return new CloudFormationClient({ endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
}

describe('fault proxy in front of cfn-sim', () => {
  let sim: CfnSim;
  let proxy: FaultProxy;
  let cfn: CloudFormationClient;
  let direct: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0, changeSetSeconds: 1 });
    proxy = await FaultProxy.start({ upstream: sim.url });
    cfn = awsClient(proxy.url);
    direct = clientFor(sim);
  });
  beforeEach(() => {
    sim.reset();
    proxy.reset();
  });
  after(async () => {
    cfn.destroy();
    direct.destroy();
    await proxy.close();
    await sim.close();
  });

  const simActions = (): string[] => sim.calls().map((c) => c.action);

  it('passes requests through untouched and names them by their Action', async () => {
    await deploy(sim, direct, 'app', TEMPLATE);
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    assert.equal(Stacks?.[0]?.StackStatus, 'CREATE_COMPLETE');
    const last = proxy.log[proxy.log.length - 1];
    assert.deepEqual(
      { action: last?.action, method: last?.method, fault: last?.fault, status: last?.status },
      { action: 'DescribeStacks', method: 'POST', fault: undefined, status: 200 },
    );
  });

  it('stall: reads the request, never answers, until the client aborts; the upstream never sees it', async () => {
    proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'stall' } });
    const stalled = proxy.waitForFault({ kind: 'stall' });
    const failure = rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' }), { abortSignal: AbortSignal.timeout(300) }));
    assert.equal((await stalled).action, 'DescribeStacks');
    assert.match((await failure).name, /Abort/);
    assert.deepEqual(simActions(), []);
    // Used up: the next call goes through.
    const next = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    assert.match(next.message, /does not exist/);
  });

  it('stall with forward: the upstream acts, the client never hears', async () => {
    proxy.add({ match: { action: 'CreateChangeSet' }, fault: { kind: 'stall', forward: true } });
    const failure = await rejection(
      cfn.send(new CreateChangeSetCommand({ StackName: 'app', ChangeSetName: 'cs1', ChangeSetType: 'CREATE', TemplateBody: TEMPLATE }), {
        abortSignal: AbortSignal.timeout(500),
      }),
    );
    assert.match(failure.name, /Abort/);
    assert.deepEqual(
      sim.stacks().map((s) => [s.name, s.status, s.changeSets.map((c) => c.name)]),
      [['app', 'REVIEW_IN_PROGRESS', ['cs1']]],
    );
  });

  it('reset: the socket is destroyed before anything reaches the upstream', async () => {
    proxy.add({ match: { action: 'ValidateTemplate' }, fault: { kind: 'reset' } });
    const failure = await rejection(cfn.send(new ValidateTemplateCommand({ TemplateBody: TEMPLATE })));
    assert.match(`${failure.name} ${failure.code ?? ''} ${failure.message}`, /ECONNRESET|socket hang up/);
    assert.deepEqual(simActions(), []);
    assert.equal(proxy.log[0]?.status, 0);
  });

  it('truncate (cut length): a complete but malformed XML body fails to parse', async () => {
    await deploy(sim, direct, 'app', TEMPLATE);
    proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'truncate', keepBytes: 120 } });
    const failure = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    assert.notEqual(failure.status, undefined);
    assert.doesNotMatch(failure.message, /CREATE_COMPLETE/);
    assert.ok(simActions().includes('DescribeStacks'), 'truncate forwards first');
  });

  it('truncate (original length): the connection drops mid-body', async () => {
    await deploy(sim, direct, 'app', TEMPLATE);
    proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'truncate', keepBytes: 50, contentLength: 'original' } });
    const failure = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    assert.match(`${failure.name} ${failure.code ?? ''} ${failure.message}`, /aborted|ECONNRESET|premature|terminated|socket/i);
  });

  it('garbage: forwards, then answers 200 with bytes that are neither XML nor JSON', async () => {
    await deploy(sim, direct, 'app', TEMPLATE);
    proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'garbage' } });
    const failure = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    assert.equal(failure.status, 200);
    assert.equal(proxy.log[proxy.log.length - 1]?.status, 200);
  });

  it('lostResponse: ExecuteChangeSet runs in the simulator, and the client sees a dropped connection', async () => {
    const changeSet = await createChangeSetAndWait(sim, direct, { StackName: 'app', ChangeSetName: 'cs1', ChangeSetType: 'CREATE', TemplateBody: TEMPLATE });
    proxy.add({ match: { action: 'ExecuteChangeSet' }, fault: { kind: 'lostResponse' } });
    const failure = await rejection(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId })));
    assert.match(`${failure.name} ${failure.code ?? ''} ${failure.message}`, /ECONNRESET|socket hang up/);
    const stack = await advanceUntil(sim, direct, 'app', SETTLED);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(sim.calls().filter((c) => c.action === 'ExecuteChangeSet').length, 1);
  });

  it('rewrite: a stack status the SDK has never heard of', async () => {
    await deploy(sim, direct, 'app', TEMPLATE);
    proxy.add({
      match: { action: 'DescribeStacks' },
      fault: { kind: 'rewrite', from: '<StackStatus>CREATE_COMPLETE</StackStatus>', to: '<StackStatus>CREATE_REIMAGINED</StackStatus>' },
    });
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    assert.equal(Stacks?.[0]?.StackStatus, 'CREATE_REIMAGINED');
  });

  it('expiredCredentials: 403 ExpiredToken as AWS sends it, without forwarding', async () => {
    proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'expiredCredentials' } });
    const failure = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    assert.deepEqual([failure.name, failure.status], ['ExpiredToken', 403]);
    assert.match(failure.message, /security token included in the request is expired/);
    assert.deepEqual(simActions(), []);
  });

  it('delay: the upstream acts at once, the answer comes later', async () => {
    proxy.add({ match: { action: 'CreateChangeSet' }, fault: { kind: 'delay', ms: 400 } });
    const answered = cfn.send(new CreateChangeSetCommand({ StackName: 'app', ChangeSetName: 'cs1', ChangeSetType: 'CREATE', TemplateBody: TEMPLATE }));
    let settled = false;
    void answered.finally(() => (settled = true));
    while (!simActions().includes('CreateChangeSet')) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(settled, false, 'the change set exists before the client hears about it');
    assert.match((await answered).Id ?? '', /cs1/);
  });

  it('httpStatus: any status and body', async () => {
    proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'httpStatus', status: 503, body: 'upstream unavailable' } });
    const failure = await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })));
    assert.equal(failure.status, 503);
  });

  it('counts matches per rule: skip lets the first N through, times limits the faults, Infinity never runs out', async () => {
    proxy.add({ match: { action: 'DescribeStacks' }, fault: { kind: 'httpStatus', status: 503 }, skip: 1, times: 2 });
    const statuses: Array<number | undefined> = [];
    for (let i = 0; i < 4; i++) statuses.push((await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })))).status);
    assert.deepEqual(statuses, [400, 503, 503, 400]);

    proxy.add({ match: { method: 'post' }, fault: { kind: 'httpStatus', status: 500 }, times: Infinity });
    for (let i = 0; i < 3; i++) assert.equal((await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })))).status, 500);
    assert.equal(proxy.rulesArmed()[0]?.timesLeft, null);
    proxy.clear();
    assert.equal((await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })))).status, 400);
  });

  it('/__faults: arms, lists and clears rules over HTTP, and refuses a bad rule with a reason', async () => {
    const post = await fetch(`${proxy.url}/__faults`, {
      method: 'POST',
      body: JSON.stringify({ match: { action: 'DescribeStacks' }, fault: { kind: 'expiredCredentials' }, times: 'always' }),
    });
    assert.equal(post.status, 200);
    assert.equal((await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })))).name, 'ExpiredToken');
    const listed = (await (await fetch(`${proxy.url}/__faults`)).json()) as {
      rules: Array<{ fault: { kind: string }; timesLeft: number | null }>;
      log: Array<{ action?: string; fault?: string }>;
    };
    assert.deepEqual(
      listed.rules.map((r) => [r.fault.kind, r.timesLeft]),
      [['expiredCredentials', null]],
    );
    assert.deepEqual(
      listed.log.map((e) => [e.action, e.fault]),
      [['DescribeStacks', 'expiredCredentials']],
    );

    assert.equal((await fetch(`${proxy.url}/__faults`, { method: 'DELETE' })).status, 200);
    assert.equal((await rejection(cfn.send(new DescribeStacksCommand({ StackName: 'app' })))).status, 400);
    assert.equal((await fetch(`${proxy.url}/__faults/reset`, { method: 'POST' })).status, 200);
    assert.deepEqual(((await (await fetch(`${proxy.url}/__faults`)).json()) as { log: unknown[] }).log, []);

    const bad = await fetch(`${proxy.url}/__faults`, { method: 'POST', body: JSON.stringify({ match: {}, fault: { kind: 'explode' } }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /fault\.kind must be one of stall, reset/);
    const notJson = await fetch(`${proxy.url}/__faults`, { method: 'POST', body: '{' });
    assert.match(((await notJson.json()) as { error: string }).error, /must be JSON/);
  });

  it('close() releases stalled connections instead of waiting for them', async () => {
    const own = await FaultProxy.start({ upstream: sim.url });
    own.add({ match: {}, fault: { kind: 'stall' }, times: Infinity });
    const client = awsClient(own.url);
    const calls = [1, 2, 3].map(() => rejection(client.send(new DescribeStacksCommand({ StackName: 'app' }))));
    while (own.log.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    await own.close();
    const failures = await Promise.all(calls);
    for (const f of failures) assert.match(`${f.name} ${f.code ?? ''} ${f.message}`, /ECONNRESET|socket hang up/);
    client.destroy();
  });

  it('runs from the command line and is scriptable over HTTP', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/fault-proxy/main.ts', '--upstream', sim.url, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const url = /listening on (http:\/\/\S+)/.exec(line.toString())?.[1];
      assert.ok(url, `no URL in ${line.toString()}`);
      await fetch(`${url}/__faults`, {
        method: 'POST',
        body: JSON.stringify({ match: { action: 'DescribeStacks' }, fault: { kind: 'httpStatus', status: 418 } }),
      });
      const client = awsClient(url);
      assert.equal((await rejection(client.send(new DescribeStacksCommand({ StackName: 'app' })))).status, 418);
      client.destroy();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

const BLUEPRINT = `
resource "google_pubsub_topic" "events" {
  name = "events"
}
`;

describe('fault proxy in front of im-sim', () => {
  let sim: ImSim;
  let proxy: FaultProxy;
  let clients: Clients;
  let direct: Clients;

  before(async () => {
    sim = await startImSim({ speed: 0, previewSeconds: 1, resourceSeconds: 1, setupSeconds: 0 });
    proxy = await FaultProxy.start({ upstream: sim.rootUrl });
    clients = clientsFor({ ...sim, rootUrl: proxy.rootUrl });
    direct = clientsFor(sim);
  });
  beforeEach(() => {
    sim.reset();
    proxy.reset();
  });
  after(async () => {
    await proxy.close();
    await sim.close();
  });

  const createBody = (gcsSource: string): { parent: string; deploymentId: string; requestBody: object } => ({
    parent: PARENT,
    deploymentId: 'orders',
    requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(gcsSource) },
  });

  it('names Google calls after googleapis methods', async () => {
    const source = await uploadBlueprint(clients, 'orders.zip', { 'main.tf': BLUEPRINT });
    const { data: op } = await clients.config.projects.locations.deployments.create(createBody(source));
    await settle(sim, clients, op.name ?? '');
    await clients.config.projects.locations.deployments.patch({
      name: `${PARENT}/deployments/orders`,
      requestBody: { serviceAccount: SERVICE_ACCOUNT, terraformBlueprint: blueprint(source) },
    });
    await clients.config.projects.locations.previews.create({
      parent: PARENT,
      requestBody: { deployment: `${PARENT}/deployments/orders`, terraformBlueprint: blueprint(source) },
    });
    await clients.config.projects.locations.deployments.revisions.resources.list({ parent: `${PARENT}/deployments/orders/revisions/r-1` });
    await clients.config.projects.locations.deployments.lock({ name: `${PARENT}/deployments/orders`, requestBody: {} });
    await clients.storage.objects.get({ bucket: 'demo-blueprints', object: 'orders.zip' });
    const names = [...new Set(proxy.log.map((e) => e.action))];
    assert.deepEqual(names, [
      'storage.upload',
      'deployments.create',
      'operations.get',
      'deployments.patch',
      'previews.create',
      'deployments.revisions.resources.list',
      'deployments.lock',
      'storage.get',
    ]);
  });

  it('names are stable for every path shape (table)', () => {
    const none = Buffer.alloc(0);
    const cases: Array<[string, string, string | undefined]> = [
      ['GET', `/v1/${PARENT}/deployments`, 'deployments.list'],
      ['DELETE', `/v1/${PARENT}/deployments/orders`, 'deployments.delete'],
      ['GET', `/v1/${PARENT}/previews/p-1`, 'previews.get'],
      ['DELETE', `/v1/${PARENT}/previews/p-1`, 'previews.delete'],
      ['GET', `/v1/${PARENT}/previews/p-1/resourceChanges`, 'previews.resourceChanges.list'],
      ['POST', `/v1/${PARENT}/operations/op-1:cancel`, 'operations.cancel'],
      ['POST', `/v1/${PARENT}/deployments/orders:unlock`, 'deployments.unlock'],
      ['GET', '/storage/v1/b/bucket/o', 'storage.list'],
      ['DELETE', '/storage/v1/b/bucket/o/orders.zip', 'storage.delete'],
      ['GET', '/somewhere/else', undefined],
    ];
    for (const [method, path, name] of cases) assert.equal(actionOf(method, path, 'application/json', none), name, `${method} ${path}`);
    assert.equal(
      actionOf('POST', '/', 'application/x-www-form-urlencoded; charset=utf-8', Buffer.from('Action=DescribeStackEvents&Version=2010-05-15')),
      'DescribeStackEvents',
    );
  });

  it('stall on operations.get: no answer until the client aborts', async () => {
    proxy.add({ match: { action: 'operations.get' }, fault: { kind: 'stall' } });
    const failure = await rejection(
      clients.config.projects.locations.operations.get({ name: `${PARENT}/operations/op-1` }, { signal: AbortSignal.timeout(300), retry: false }),
    );
    assert.match(`${failure.name} ${failure.message}`, /abort/i);
    assert.deepEqual(sim.requests(), []);
  });

  it('reset on storage.upload: nothing is stored', async () => {
    proxy.add({ match: { action: 'storage.upload' }, fault: { kind: 'reset' } });
    const failure = await rejection(uploadBlueprint(clients, 'orders.zip', { 'main.tf': BLUEPRINT }));
    assert.match(`${failure.code ?? ''} ${failure.message}`, /ECONNRESET|socket hang up/);
    assert.deepEqual(sim.objects(), []);
  });

  it('lostResponse on deployments.create: the apply starts, the client sees a dropped connection', async () => {
    const source = await uploadBlueprint(direct, 'orders.zip', { 'main.tf': BLUEPRINT });
    proxy.add({ match: { action: 'deployments.create' }, fault: { kind: 'lostResponse' } });
    const failure = await rejection(clients.config.projects.locations.deployments.create(createBody(source)));
    assert.match(`${failure.code ?? ''} ${failure.message}`, /ECONNRESET|socket hang up/);
    assert.deepEqual(
      sim.deployments().map((d) => [d['name'], d['state']]),
      [[`${PARENT}/deployments/orders`, 'CREATING']],
    );
  });

  it('expiredCredentials: 401 UNAUTHENTICATED in Google error shape, without forwarding', async () => {
    proxy.add({ match: { action: 'deployments.get' }, fault: { kind: 'expiredCredentials' } });
    const error = await apiError(clients.config.projects.locations.deployments.get({ name: `${PARENT}/deployments/orders` }));
    assert.deepEqual([error.httpStatus, error.status], [401, 'UNAUTHENTICATED']);
    assert.deepEqual(sim.requests(), []);
  });

  it('rewrite on operations.get: the body the client parses is the rewritten one', async () => {
    const source = await uploadBlueprint(direct, 'orders.zip', { 'main.tf': BLUEPRINT });
    const { data: op } = await direct.config.projects.locations.deployments.create(createBody(source));
    proxy.add({ match: { action: 'operations.get' }, fault: { kind: 'rewrite', from: '"done":false', to: '"done":true' } });
    const { data } = await clients.config.projects.locations.operations.get({ name: op.name ?? '' });
    assert.equal(data.done, true);
    const { data: truth } = await direct.config.projects.locations.operations.get({ name: op.name ?? '' });
    assert.equal(truth.done, false);
  });

  it('truncate and garbage on deployments.get: the client does not get the deployment', async () => {
    const source = await uploadBlueprint(direct, 'orders.zip', { 'main.tf': BLUEPRINT });
    const { data: op } = await direct.config.projects.locations.deployments.create(createBody(source));
    await settle(sim, direct, op.name ?? '');
    const name = `${PARENT}/deployments/orders`;
    for (const fault of [{ kind: 'truncate' as const }, { kind: 'truncate' as const, contentLength: 'original' as const }, { kind: 'garbage' as const }]) {
      proxy.add({ match: { action: 'deployments.get' }, fault });
      // googleapis hands back unparseable JSON as a string instead of failing, so either is "not the deployment".
      const outcome = await clients.config.projects.locations.deployments.get({ name }, { retry: false }).then(
        (r) => (typeof r.data === 'object' && r.data !== null ? `parsed state ${String(r.data.state)}` : 'unparsed text'),
        (error: unknown) => `rejected: ${(error as Error).message}`,
      );
      assert.doesNotMatch(outcome, /parsed state/, `${JSON.stringify(fault)} -> ${outcome}`);
    }
  });

  it('httpStatus on previews.create: 503 with a Google body', async () => {
    proxy.add({
      match: { action: 'previews.create' },
      fault: {
        kind: 'httpStatus',
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 503, status: 'UNAVAILABLE', message: 'try later' } }),
      },
    });
    const error = await apiError(
      clients.config.projects.locations.previews.create({ parent: PARENT, requestBody: { terraformBlueprint: blueprint('gs://b/o') } }),
    );
    assert.deepEqual([error.httpStatus, error.status], [503, 'UNAVAILABLE']);
  });
});
