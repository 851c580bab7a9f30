/**
 * The CloudFormation adapter's own promises under faults, method by method, through the real SDK
 * against the local simulator: one change set per staging attempt, Abort that waits and cleans
 * up, "No updates" as no changes, what happened to a lost execute, events told apart by token and
 * OperationId with the stack as arbiter, someone else's cancel, a stop asked twice, and whose
 * operation a busy stack runs. Assertions read the simulator's own state and call log.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { executeToken, stagingNames } from '../../src/providers/aws/tokens';
import { ProviderError, type OperationRef, type PollResult, type StageResult, type TargetCondition } from '../../src/providers/provider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { seedBrokenStack } from '../../scripts/sampleStacks';
import { DeploymentSession } from '../../src/deployment/session';
import {
  MemoryStore,
  TEST_CREDENTIALS,
  awsProvider,
  startDeployment,
  templateSource,
  uniqueDeploymentId,
  waitFor,
  waitForEnd,
  workspaceFor,
} from '../support/awsDeployment';

const APP = (options: { queueSeconds?: number; bucketName?: string } = {}) => `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${options.bucketName ?? 'adapter-bucket'}
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      Stackwatch:
        Seconds: ${options.queueSeconds ?? 2}
    Properties:
      VisibilityTimeout: ${options.queueSeconds ?? 30}
`;

const WITH_TRANSFORM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Bucket:
    Type: AWS::S3::Bucket
`;

const ENDED = new Set<PollResult['phase']>(['succeeded', 'failed', 'rolledBack']);
const signal = new AbortController().signal;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What a proxied call becomes: forwarded as answered, answered with other bytes, or never answered. */
type Shaping = { kind: 'pass' } | { kind: 'lose' } | { kind: 'hold' } | { kind: 'replace'; body: Buffer };

/**
 * A pass-through to the simulator that lets each request reach it, then may lose the answer on
 * the way back (the connection drops), never send it (the window closes meanwhile), or hand back
 * another answer (a stale read). `forwardWhen` may hold a request on its way to the simulator.
 */
async function shapingProxy(
  upstream: string,
  shape: (action: string, answer: Buffer) => Shaping,
  forwardWhen: (action: string) => Promise<void> = () => Promise.resolve(),
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
      void forwardWhen(action)
        .then(() => fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, body }))
        .then(async (answer) => {
          const received = Buffer.from(await answer.arrayBuffer());
          const shaped = shape(action, received);
          if (shaped.kind === 'lose') {
            req.socket.destroy();
            return;
          }
          if (shaped.kind === 'hold' || res.destroyed) return;
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' });
          res.end(shaped.kind === 'replace' ? shaped.body : received);
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

describe('AWS adapter under faults (cfn-sim)', () => {
  let sim: CfnSim;
  let provider: AwsProvider;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 20 });
    provider = awsProvider(sim.url, { changeSetPollMs: 50 });
    cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: sim.url, credentials: TEST_CREDENTIALS });
  });
  beforeEach(() => {
    sim.reset();
    sim.setSpeed(20);
  });
  after(async () => {
    provider.dispose();
    cfn.destroy();
    await sim.close();
  });

  const target = (name: string) => ({ provider: 'aws' as const, name, region: 'us-east-1' });
  const liveStack = (name: string) => sim.stacks().find((s) => s.name === name && !s.deleted);
  const callsOf = (action: string) => sim.calls().filter((c) => c.action === action);

  function stage(
    name: string,
    template: string,
    deploymentId: string,
    options: { attempt?: number; condition?: TargetCondition; capabilities?: string[]; via?: AwsProvider; targetId?: string; signal?: AbortSignal } = {},
  ): Promise<StageResult> {
    return (options.via ?? provider).stage({
      target: target(name),
      template: templateSource(template),
      parameters: [],
      capabilities: options.capabilities ?? [],
      condition: options.condition ?? 'missing',
      deploymentId,
      attempt: options.attempt ?? 0,
      targetId: options.targetId,
      signal: options.signal ?? signal,
    });
  }

  async function untilReady(name: string, stagedId: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const staged = await provider.describeStaged({ target: target(name), stagedId, signal });
      if (staged.state === 'ready') return;
      assert.equal(staged.state, 'pending', staged.reason);
      await sleep(20);
    }
    throw new Error(`change set ${stagedId} never became ready`);
  }

  /** Polls like the machine does until the operation ends; a bounded number of polls, not a clock. */
  async function follow(
    name: string,
    operation: OperationRef,
    maxPolls = 600,
  ): Promise<{ last: PollResult; phases: PollResult['phase'][]; events: PollResult['events'] }> {
    let cursor: string | undefined;
    const phases: PollResult['phase'][] = [];
    const events: PollResult['events'] = [];
    for (let i = 0; i < maxPolls; i++) {
      const last = await provider.poll({ target: target(name), operation, cursor, signal });
      cursor = last.cursor;
      phases.push(last.phase);
      events.push(...last.events);
      if (ENDED.has(last.phase)) return { last, phases, events };
      await sleep(25);
    }
    throw new Error(`${name}: still ${phases.at(-1)} after ${maxPolls} polls; the simulator says ${liveStack(name)?.status}`);
  }

  /** A deployed stack, made through the adapter. */
  async function deployed(name: string, template: string, deploymentId = uniqueDeploymentId('base')): Promise<void> {
    const staged = await stage(name, template, deploymentId);
    await untilReady(name, staged.stagedId);
    const { operation } = await provider.execute({ target: target(name), stagedId: staged.stagedId, deploymentId, signal });
    const { last } = await follow(name, operation);
    assert.equal(last.phase, 'succeeded', last.statusReason);
  }

  /** An update staged, reviewed and executed; returns its operation while it runs. */
  async function updating(
    name: string,
    template: string,
    deploymentId = uniqueDeploymentId('upd'),
  ): Promise<{ operation: OperationRef; stagedId: string; deploymentId: string }> {
    const staged = await stage(name, template, deploymentId, { condition: 'ready' });
    await untilReady(name, staged.stagedId);
    const { operation } = await provider.execute({ target: target(name), stagedId: staged.stagedId, deploymentId, signal });
    return { operation, stagedId: staged.stagedId, deploymentId };
  }

  describe('staging leaves no orphans (item 7)', () => {
    it('a retry after a lost CreateChangeSet response gets the same change set, not a second one', async () => {
      let lost = 0;
      const proxy = await shapingProxy(sim.url, (action) => (action === 'CreateChangeSet' && lost++ === 0 ? { kind: 'lose' } : { kind: 'pass' }));
      const viaProxy = awsProvider(proxy.url);
      try {
        const deploymentId = uniqueDeploymentId('lost');
        await assert.rejects(
          stage('lost-answer', APP(), deploymentId, { via: viaProxy }),
          (error: unknown) => error instanceof ProviderError && error.retryable,
        );
        assert.equal(liveStack('lost-answer')?.changeSets.length, 1, 'the first call got through');
        const retried = await stage('lost-answer', APP(), deploymentId, { via: viaProxy });
        const stack = liveStack('lost-answer');
        assert.deepEqual(
          stack?.changeSets.map((c) => c.id),
          [retried.stagedId],
          'one change set: the retry found the first',
        );
        assert.equal(stack?.changeSets[0]?.name, stagingNames(deploymentId, 0).changeSetName);
        assert.equal(retried.targetId, stack?.id);
        assert.equal(retried.createdTarget, true);
        assert.deepEqual(new Set(callsOf('CreateChangeSet').map((c) => c.params.ChangeSetName)).size, 1, 'both calls asked for the same name');
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    });

    it('a change set already made under our name is adopted, not refused', async () => {
      const deploymentId = uniqueDeploymentId('adopt');
      // An earlier call of this attempt, made with another token (a reloaded window's first try).
      const earlier = await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'adopted',
          ChangeSetName: stagingNames(deploymentId, 0).changeSetName,
          ChangeSetType: 'CREATE',
          TemplateBody: APP(),
        }),
      );
      const staged = await stage('adopted', APP(), deploymentId);
      assert.equal(staged.stagedId, earlier.Id);
      assert.equal(staged.targetId, earlier.StackId);
      assert.equal(liveStack('adopted')?.changeSets.length, 1);
    });

    it('the next attempt of the same deployment gets its own change set', async () => {
      await deployed('rounds', APP());
      const deploymentId = uniqueDeploymentId('rounds');
      const first = await stage('rounds', APP({ queueSeconds: 3 }), deploymentId, { condition: 'ready', attempt: 0 });
      const second = await stage('rounds', APP({ queueSeconds: 4 }), deploymentId, { condition: 'ready', attempt: 1 });
      assert.notEqual(first.stagedId, second.stagedId);
    });

    it('Abort while CreateChangeSet is unanswered waits for the change set, then removes it and the stack it made', async () => {
      sim.configure({ changeSetSeconds: 20 });
      const deploymentId = uniqueDeploymentId('abort');
      await stage('abort-early', APP(), deploymentId);
      assert.equal(liveStack('abort-early')?.changeSets[0]?.status, 'CREATE_PENDING');
      // The machine never got the answer: no stagedId, no targetId.
      await provider.abortStaged({ target: target('abort-early'), deploymentId, attempt: 0, removeCreatedTarget: true, signal });
      assert.equal(liveStack('abort-early'), undefined, 'the REVIEW_IN_PROGRESS shell is gone');
      const deletes = callsOf('DeleteChangeSet');
      assert.ok(deletes.length >= 1);
      assert.equal(deletes.at(-1)?.status, 200, 'the last delete was accepted');
      assert.equal(callsOf('DeleteStack').length, 1);
      assert.equal(callsOf('DeleteStack')[0]?.params.StackName, sim.stacks().find((s) => s.name === 'abort-early')?.id, 'deleted by ID');
    });

    it('Abort while waiting for a change set gives up when its signal fires, and deletes nothing', async () => {
      sim.configure({ changeSetSeconds: 100_000 });
      const deploymentId = uniqueDeploymentId('abort');
      await stage('abort-stuck', APP(), deploymentId);
      const controller = new AbortController();
      const aborting = provider.abortStaged({ target: target('abort-stuck'), deploymentId, attempt: 0, removeCreatedTarget: true, signal: controller.signal });
      await sleep(100);
      controller.abort();
      await assert.rejects(aborting, (error: unknown) => error instanceof ProviderError && error.code === 'Aborted');
      assert.equal(liveStack('abort-stuck')?.changeSets.length, 1);
      assert.equal(callsOf('DeleteStack').length, 0);
    });

    it("a stack holding someone else's change set is never removed", async () => {
      const deploymentId = uniqueDeploymentId('shared');
      const staged = await stage('shared-shell', APP(), deploymentId);
      await untilReady('shared-shell', staged.stagedId);
      await cfn.send(new CreateChangeSetCommand({ StackName: 'shared-shell', ChangeSetName: 'colleague', ChangeSetType: 'CREATE', TemplateBody: APP() }));
      await provider.abortStaged({ target: target('shared-shell'), deploymentId, attempt: 0, removeCreatedTarget: true, signal });
      assert.deepEqual(
        liveStack('shared-shell')?.changeSets.map((c) => c.name),
        ['colleague'],
      );
      assert.equal(callsOf('DeleteStack').length, 0);
    });

    it('after execution, Abort removes nothing CloudFormation now owns', async () => {
      const deploymentId = uniqueDeploymentId('exec');
      const staged = await stage('executed', APP({ queueSeconds: 60 }), deploymentId);
      await untilReady('executed', staged.stagedId);
      await provider.execute({ target: target('executed'), stagedId: staged.stagedId, deploymentId, signal });
      const result = await provider.abortStaged({
        target: target('executed'),
        stagedId: staged.stagedId,
        deploymentId,
        attempt: 0,
        executed: true,
        removeCreatedTarget: true,
        targetId: staged.targetId,
        signal,
      });
      assert.deepEqual(result, {}, 'the caller knew it was executed: nothing new to tell');
      assert.equal(callsOf('DeleteChangeSet').length, 0);
      assert.equal(callsOf('DeleteStack').length, 0);
      assert.equal(liveStack('executed')?.status, 'CREATE_IN_PROGRESS');
    });
  });

  describe('"No updates are to be performed." (item 13)', () => {
    it('thrown by CreateChangeSet, it is an empty staging that leaves nothing behind', async () => {
      sim.configure({ noUpdatesWithTransform: 'error' });
      const capabilities = ['CAPABILITY_AUTO_EXPAND'];
      const first = uniqueDeploymentId('transform');
      const created = await stage('transformed', WITH_TRANSFORM, first, { capabilities });
      await untilReady('transformed', created.stagedId);
      const { operation } = await provider.execute({ target: target('transformed'), stagedId: created.stagedId, deploymentId: first, signal });
      assert.equal((await follow('transformed', operation)).last.phase, 'succeeded');

      const again = uniqueDeploymentId('transform');
      const staged = await stage('transformed', WITH_TRANSFORM, again, { capabilities, condition: 'ready' });
      assert.equal(callsOf('CreateChangeSet').at(-1)?.status, 400, 'CloudFormation refused it with the ValidationError');
      const described = await provider.describeStaged({ target: target('transformed'), stagedId: staged.stagedId, signal });
      assert.equal(described.state, 'empty');
      assert.match(described.reason ?? '', /No updates are to be performed/);
      assert.equal(staged.createdTarget, false);
      await provider.abortStaged({
        target: target('transformed'),
        stagedId: staged.stagedId,
        deploymentId: again,
        attempt: 0,
        removeCreatedTarget: false,
        signal,
      });
      assert.equal(liveStack('transformed')?.changeSets.filter((c) => c.name !== created.stagedId.split('/')[1]).length, 0);
      assert.equal(liveStack('transformed')?.status, 'CREATE_COMPLETE');
      await assert.rejects(
        provider.execute({ target: target('transformed'), stagedId: staged.stagedId, deploymentId: again, signal }),
        /no changes to execute/,
      );
    });
  });

  describe('what happened to an execute whose answer was lost (item 6)', () => {
    it('a change set still waiting is not executed', async () => {
      const deploymentId = uniqueDeploymentId('find');
      const staged = await stage('waiting', APP(), deploymentId);
      await untilReady('waiting', staged.stagedId);
      assert.deepEqual(await provider.findExecution({ target: target('waiting'), stagedId: staged.stagedId, deploymentId, signal }), { state: 'notExecuted' });
    });

    it('an execute that got through is found, with its operation, and followed to its end', async () => {
      await deployed('resumed', APP());
      const deploymentId = uniqueDeploymentId('find');
      const staged = await stage('resumed', APP({ queueSeconds: 40 }), deploymentId, { condition: 'ready' });
      await untilReady('resumed', staged.stagedId);
      // Our ExecuteChangeSet reached CloudFormation; its answer did not reach us.
      await cfn.send(
        new ExecuteChangeSetCommand({ ChangeSetName: staged.stagedId, StackName: 'resumed', ClientRequestToken: executeToken(deploymentId, staged.stagedId) }),
      );
      const found = await provider.findExecution({ target: target('resumed'), stagedId: staged.stagedId, deploymentId, signal });
      assert.equal(found.state, 'executed');
      if (found.state !== 'executed') return;
      const stack = liveStack('resumed');
      assert.equal(found.operation.kind, 'update');
      assert.equal(found.operation.targetId, stack?.id);
      assert.equal(found.operation.token, executeToken(deploymentId, staged.stagedId));
      assert.ok(found.operation.operationId, 'the OperationId of our update');
      const { last, events } = await follow('resumed', found.operation);
      assert.equal(last.phase, 'succeeded');
      assert.equal(last.providerStatus, 'UPDATE_COMPLETE');
      assert.ok(events.some((e) => e.logicalId === 'Queue' && e.providerStatus === 'UPDATE_COMPLETE'));
      assert.equal(callsOf('ExecuteChangeSet').length, 2, 'the base deployment and the lost one: nothing executed twice');
    });

    it('a change set someone deleted is gone, and says so', async () => {
      await deployed('deleted-cs', APP());
      const deploymentId = uniqueDeploymentId('find');
      const staged = await stage('deleted-cs', APP({ queueSeconds: 3 }), deploymentId, { condition: 'ready' });
      await untilReady('deleted-cs', staged.stagedId);
      await provider.abortStaged({
        target: target('deleted-cs'),
        stagedId: staged.stagedId,
        deploymentId: 'someone',
        attempt: 0,
        removeCreatedTarget: false,
        signal,
      });
      const found = await provider.findExecution({ target: target('deleted-cs'), stagedId: staged.stagedId, deploymentId, signal });
      assert.equal(found.state, 'gone');
      if (found.state === 'gone') assert.match(found.reason, /no longer exists: someone deleted it or executed another change set/);
    });

    it('after someone else updated the stack directly, our change set is gone as stale', async () => {
      await deployed('stale-cs', APP());
      const deploymentId = uniqueDeploymentId('find');
      const staged = await stage('stale-cs', APP({ queueSeconds: 3 }), deploymentId, { condition: 'ready' });
      await untilReady('stale-cs', staged.stagedId);
      sim.asOtherClient({ action: 'UpdateStack', stackName: 'stale-cs', templateBody: APP({ queueSeconds: 5 }) });
      const found = await provider.findExecution({ target: target('stale-cs'), stagedId: staged.stagedId, deploymentId, signal });
      assert.equal(found.state, 'gone');
      if (found.state === 'gone') assert.match(found.reason, /OBSOLETE/);
    });
  });

  describe('whose events are whose (item 14)', () => {
    it("an endpoint that echoes no tokens: an earlier operation's end never ends ours; the stack decides", async () => {
      await deployed('silent', APP());
      sim.configure({ echoEventTokens: false, echoOperationIds: false });
      const { operation } = await updating('silent', APP({ queueSeconds: 60 }));
      const first = await provider.poll({ target: target('silent'), operation, signal });
      assert.ok(
        !ENDED.has(first.phase),
        `the first poll ended the deployment as ${first.phase} (${first.providerStatus}) while the simulator says ${liveStack('silent')?.status}`,
      );
      const { last } = await follow('silent', { ...operation });
      assert.equal(last.phase, 'succeeded');
      assert.equal(last.providerStatus, 'UPDATE_COMPLETE');
      assert.equal(liveStack('silent')?.status, 'UPDATE_COMPLETE');
    });

    it("a lagging events read right after ExecuteChangeSet (only the earlier operation's token-less events) does not end ours", async () => {
      await deployed('lagging', APP());
      sim.configure({ echoEventTokens: false, echoOperationIds: false });
      // DescribeStackEvents is eventually consistent: the first read after our execute may still
      // show only what was there before it.
      let before: Buffer | undefined;
      let stale = false;
      const proxy = await shapingProxy(sim.url, (action, answer) => {
        if (action !== 'DescribeStackEvents') return { kind: 'pass' };
        if (stale && before) return { kind: 'replace', body: before };
        before = answer;
        return { kind: 'pass' };
      });
      const viaProxy = awsProvider(proxy.url);
      try {
        const probe = await viaProxy.describeTarget({ target: target('lagging'), signal });
        await viaProxy.poll({
          target: target('lagging'),
          operation: { startedAt: new Date().toISOString(), kind: 'unknown', targetId: probe.targetId },
          signal,
        });
        const { operation } = await updating('lagging', APP({ queueSeconds: 60 }));
        stale = true;
        const first = await viaProxy.poll({ target: target('lagging'), operation, signal });
        assert.ok(
          !ENDED.has(first.phase),
          `the earlier create's CREATE_COMPLETE ended ours as ${first.phase} (${first.providerStatus}); the simulator says ${liveStack('lagging')?.status}`,
        );
        assert.equal(first.providerStatus, 'UPDATE_IN_PROGRESS', 'the stack itself decided');
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    });

    it('an endpoint with OperationIds but no tokens: our operation is learned from the stack, and its events shown', async () => {
      await deployed('op-ids', APP());
      sim.configure({ echoEventTokens: false });
      const { operation } = await updating('op-ids', APP({ queueSeconds: 60 }));
      const { last, events } = await follow('op-ids', operation);
      assert.equal(last.phase, 'succeeded');
      assert.ok(
        events.some((e) => e.logicalId === 'Queue' && e.providerStatus === 'UPDATE_COMPLETE'),
        JSON.stringify(events.map((e) => `${e.logicalId} ${e.providerStatus}`)),
      );
      assert.ok(!events.some((e) => e.providerStatus === 'CREATE_COMPLETE'), "none of the earlier create's events");
    });

    it("someone else's cancel of our update is followed to UPDATE_ROLLBACK_COMPLETE and named", async () => {
      await deployed('cancelled', APP());
      const { operation } = await updating('cancelled', APP({ queueSeconds: 600 }));
      const started = await provider.poll({ target: target('cancelled'), operation, signal });
      assert.equal(started.phase, 'inProgress');
      const { token } = sim.asOtherClient({ action: 'CancelUpdateStack', stackName: 'cancelled' });
      sim.setSpeed(200);
      const { last } = await follow('cancelled', operation);
      assert.equal(last.phase, 'rolledBack');
      assert.equal(last.providerStatus, 'UPDATE_ROLLBACK_COMPLETE');
      assert.equal(liveStack('cancelled')?.status, 'UPDATE_ROLLBACK_COMPLETE');
      // Said once, as news for the person (the machine keeps it among the notices), not folded
      // into the status reason where it would be shown a second time.
      assert.equal(last.notice, `The update was cancelled by the AWS console (token ${token}).`);
      assert.ok(!(last.statusReason ?? '').includes('cancelled by'), last.statusReason);
    });

    it("someone else's cancel on an endpoint without tokens or OperationIds still ends the watch, from the stack's status", async () => {
      await deployed('cancelled-quietly', APP());
      sim.configure({ echoEventTokens: false, echoOperationIds: false });
      const { operation } = await updating('cancelled-quietly', APP({ queueSeconds: 600 }));
      await provider.poll({ target: target('cancelled-quietly'), operation, signal });
      sim.asOtherClient({ action: 'CancelUpdateStack', stackName: 'cancelled-quietly' });
      sim.setSpeed(200);
      const { last } = await follow('cancelled-quietly', operation);
      assert.equal(last.phase, 'rolledBack');
      assert.equal(last.providerStatus, 'UPDATE_ROLLBACK_COMPLETE');
    });

    it('an automatic rollback (its own OperationId, our token) is ours', async () => {
      await deployed('auto-rollback', APP());
      const failing = APP({ queueSeconds: 3 }).replace('        Seconds: 3', '        Seconds: 3\n        Fail: "queue refused"');
      const { operation } = await updating('auto-rollback', failing);
      const { last, events } = await follow('auto-rollback', operation);
      assert.equal(last.phase, 'rolledBack');
      assert.equal(last.providerStatus, 'UPDATE_ROLLBACK_COMPLETE');
      assert.ok(events.some((e) => e.logicalId === 'Queue' && e.providerStatus === 'UPDATE_FAILED'));
    });
  });

  describe('the first read after failed reads (polling fix 1)', () => {
    it("a first read made only after the automatic rollback began still reaches our start, and the failed resource's reason", async () => {
      await deployed('late-read', APP());
      const failing = APP({ queueSeconds: 3 }).replace('        Seconds: 3', '        Seconds: 3\n        Fail: "quota exceeded"');
      const { operation } = await updating('late-read', failing);
      // Every read until now failed (garbage, cut answers): CloudFormation meanwhile failed the
      // update and started its automatic rollback, a new operation under our token.
      for (let i = 0; i < 400 && !(liveStack('late-read')?.status ?? '').startsWith('UPDATE_ROLLBACK_'); i++) await sleep(10);
      assert.match(liveStack('late-read')?.status ?? '', /^UPDATE_ROLLBACK_/);
      const { last, events } = await follow('late-read', operation);
      assert.equal(last.phase, 'rolledBack');
      const failed = events.find((e) => e.logicalId === 'Queue' && e.providerStatus === 'UPDATE_FAILED');
      assert.equal(failed?.reason, 'quota exceeded', JSON.stringify(events.map((e) => `${e.logicalId} ${e.providerStatus}`)));
      assert.equal(events[0]?.providerStatus, 'UPDATE_IN_PROGRESS', 'read from the start of our update');
      assert.equal(events[0]?.logicalId, 'late-read');
    });
  });

  describe('statuses this build does not know (polling fix 2)', () => {
    /**
     * Every events read carries the unknown status in place of UPDATE_COMPLETE; the stack's own
     * read does too, `stackLies` times. Each poll must ask the stack, and its real status decides.
     */
    async function unknownThenTruth(
      name: string,
      unknown: string,
      stackLies: number,
    ): Promise<{ phases: PollResult['phase'][]; last: PollResult; describesPerPoll: number[] }> {
      let lies = 0;
      const rewrite = (answer: Buffer): Shaping => ({
        kind: 'replace',
        body: Buffer.from(answer.toString('utf8').split('>UPDATE_COMPLETE<').join(`>${unknown}<`)),
      });
      const proxy = await shapingProxy(sim.url, (action, answer) => {
        if (action === 'DescribeStackEvents') return rewrite(answer);
        if (action === 'DescribeStacks' && answer.includes('>UPDATE_COMPLETE<') && lies < stackLies) {
          lies++;
          return rewrite(answer);
        }
        return { kind: 'pass' };
      });
      const viaProxy = awsProvider(proxy.url);
      try {
        await deployed(name, APP());
        const { operation } = await updating(name, APP({ queueSeconds: 3 }));
        for (let i = 0; i < 400 && liveStack(name)?.status !== 'UPDATE_COMPLETE'; i++) await sleep(10);
        assert.equal(liveStack(name)?.status, 'UPDATE_COMPLETE');
        const phases: PollResult['phase'][] = [];
        const describesPerPoll: number[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 20; i++) {
          const before = callsOf('DescribeStacks').length;
          const last = await viaProxy.poll({ target: target(name), operation, cursor, signal });
          describesPerPoll.push(callsOf('DescribeStacks').length - before);
          cursor = last.cursor;
          phases.push(last.phase);
          if (ENDED.has(last.phase)) return { phases, last, describesPerPoll };
        }
        throw new Error(`${name}: never ended: ${phases.join(', ')}`);
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    }

    it('an unknown terminal-looking status decides nothing; every poll asks the stack until its real status does', async () => {
      const { phases, last, describesPerPoll } = await unknownThenTruth('reimagined', 'UPDATE_REIMAGINED', 2);
      assert.equal(last.phase, 'succeeded');
      assert.equal(last.providerStatus, 'UPDATE_COMPLETE');
      assert.deepEqual(phases.slice(0, -1), ['unknown', 'unknown'], 'shown as unknown while the stack said so, never as an outcome');
      assert.ok(
        describesPerPoll.every((n) => n >= 1),
        `polls that did not ask the stack: ${JSON.stringify(describesPerPoll)}`,
      );
    });

    it('an unknown *_IN_PROGRESS status keeps monitoring; every poll asks the stack until its real status decides', async () => {
      const { phases, last, describesPerPoll } = await unknownThenTruth('reconsidering', 'UPDATE_RECONSIDER_IN_PROGRESS', 2);
      assert.equal(last.phase, 'succeeded');
      assert.equal(last.providerStatus, 'UPDATE_COMPLETE');
      assert.deepEqual(phases.slice(0, -1), ['inProgress', 'inProgress']);
      assert.ok(
        describesPerPoll.every((n) => n >= 1),
        `polls that did not ask the stack: ${JSON.stringify(describesPerPoll)}`,
      );
    });
  });

  describe('a REVIEW_IN_PROGRESS stack (polling fix 4)', () => {
    /** What someone's never-executed CREATE change set leaves: the stack, and maybe the change set. */
    async function reviewShell(name: string, keepChangeSet: boolean): Promise<string> {
      const made = await cfn.send(new CreateChangeSetCommand({ StackName: name, ChangeSetName: 'colleague', ChangeSetType: 'CREATE', TemplateBody: APP() }));
      for (let i = 0; i < 400 && liveStack(name)?.changeSets[0]?.status !== 'CREATE_COMPLETE'; i++) await sleep(10);
      if (!keepChangeSet) await cfn.send(new DeleteChangeSetCommand({ StackName: name, ChangeSetName: 'colleague' }));
      assert.equal(liveStack(name)?.status, 'REVIEW_IN_PROGRESS');
      return made.StackId ?? '';
    }

    it('holding no change set, it is as good as missing: a CREATE change set is made in it, without deleting anything', async () => {
      const stackId = await reviewShell('empty-shell', false);
      const described = await provider.describeTarget({ target: target('empty-shell'), signal });
      assert.equal(described.condition, 'missing');
      assert.equal(described.targetId, stackId);
      assert.deepEqual(described.recoveryActions, []);
      const deploymentId = uniqueDeploymentId('shell');
      const staged = await stage('empty-shell', APP(), deploymentId, { condition: described.condition });
      assert.equal(callsOf('CreateChangeSet').at(-1)?.params.ChangeSetType, 'CREATE');
      assert.equal(staged.targetId, stackId, 'the same stack');
      await untilReady('empty-shell', staged.stagedId);
      const { operation } = await provider.execute({ target: target('empty-shell'), stagedId: staged.stagedId, deploymentId, signal });
      const { last } = await follow('empty-shell', operation);
      assert.equal(last.phase, 'succeeded', last.statusReason);
      assert.equal(liveStack('empty-shell')?.id, stackId);
      assert.equal(liveStack('empty-shell')?.status, 'CREATE_COMPLETE');
      assert.equal(callsOf('DeleteStack').length, 0);
    });

    it("holding someone else's change set, it is theirs: busy, never offered for deletion, never adopted", async () => {
      const stackId = await reviewShell('their-shell', true);
      const described = await provider.describeTarget({ target: target('their-shell'), signal });
      assert.equal(described.condition, 'inProgress');
      assert.equal(described.targetId, stackId);
      assert.deepEqual(described.recoveryActions, [], 'no delete offered');
      assert.match(described.operation?.startedBy ?? '', /colleague/);
      assert.match(described.statusReason ?? '', /colleague/);
      assert.deepEqual(
        liveStack('their-shell')?.changeSets.map((c) => c.name),
        ['colleague'],
      );
      assert.equal(callsOf('DeleteStack').length + callsOf('DeleteChangeSet').length, 0);
    });
  });

  describe('Stop', () => {
    it('asked again after a restart, a stop that already took effect is not refused', async () => {
      await deployed('stopped', APP());
      const { operation, deploymentId } = await updating('stopped', APP({ queueSeconds: 600 }));
      await provider.poll({ target: target('stopped'), operation, signal });
      assert.deepEqual(await provider.stop({ target: target('stopped'), operation, deploymentId, signal }), { rollsBack: true });
      assert.match(liveStack('stopped')?.status ?? '', /^UPDATE_ROLLBACK_/);
      // The window reloads; the restored deployment asks again.
      assert.deepEqual(await provider.stop({ target: target('stopped'), operation, deploymentId, signal }), { rollsBack: true });
      assert.equal(callsOf('CancelUpdateStack').length, 1);
    });

    it('a rollback someone else started is not ours to claim', async () => {
      await deployed('their-stop', APP());
      const { operation, deploymentId } = await updating('their-stop', APP({ queueSeconds: 600 }));
      sim.asOtherClient({ action: 'CancelUpdateStack', stackName: 'their-stop' });
      await assert.rejects(provider.stop({ target: target('their-stop'), operation, deploymentId, signal }), /already rolling back/);
    });
  });

  describe("someone else's operation (item 4)", () => {
    it('a busy stack says who runs it and which operation it is', async () => {
      await deployed('busy', APP());
      const theirs = sim.asOtherClient({ action: 'UpdateStack', stackName: 'busy', templateBody: APP({ queueSeconds: 600 }) });
      const described = await provider.describeTarget({ target: target('busy'), signal });
      assert.equal(described.condition, 'inProgress');
      assert.equal(described.operation?.startedBy, `the AWS console (token ${theirs.token})`);
      assert.equal(described.operation?.operationId, theirs.operationId);
      assert.equal(described.operation?.kind, 'update');
    });

    it('another Stackwatch deployment is named as such, and watching it follows only its events', async () => {
      await deployed('colleague', APP());
      await updating('colleague', APP({ queueSeconds: 40 }), 'their-deployment');
      const described = await provider.describeTarget({ target: target('colleague'), signal });
      assert.match(described.operation?.startedBy ?? '', /^another Stackwatch deployment \(token sw-their-deployment-execute-/);
      assert.ok(described.operation);
      if (!described.operation) return;
      const { last, events } = await follow('colleague', described.operation);
      assert.equal(last.phase, 'succeeded');
      assert.ok(!events.some((e) => e.providerStatus === 'CREATE_COMPLETE'), "none of the earlier create's events");
    });
  });

  describe('a recovery asked again after it already happened', () => {
    const FAILS_ON_CREATE = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      Stackwatch:
        Fail: "Bucket name is taken"
        FailOn: [create]
`;

    /** A new stack whose create failed and rolled back: ROLLBACK_COMPLETE, where only delete is offered. */
    async function rolledBackCreate(name: string): Promise<void> {
      const deploymentId = uniqueDeploymentId('failed');
      const staged = await stage(name, FAILS_ON_CREATE, deploymentId);
      await untilReady(name, staged.stagedId);
      const { operation } = await provider.execute({ target: target(name), stagedId: staged.stagedId, deploymentId, signal });
      assert.equal((await follow(name, operation)).last.phase, 'rolledBack');
      assert.equal(liveStack(name)?.status, 'ROLLBACK_COMPLETE');
    }

    async function untilDeleted(name: string): Promise<void> {
      for (let i = 0; liveStack(name) !== undefined; i++) {
        if (i > 1_000) throw new Error(`${name} is still ${liveStack(name)?.status}`);
        await sleep(10);
      }
    }

    it('delete: the DeleteStack answer was lost and the delete finished; the retry reports it done instead of failing', async () => {
      await rolledBackCreate('lost-delete');
      let lost = 0;
      const proxy = await shapingProxy(sim.url, (action) => (action === 'DeleteStack' && lost++ === 0 ? { kind: 'lose' } : { kind: 'pass' }));
      const viaProxy = awsProvider(proxy.url);
      try {
        const deploymentId = uniqueDeploymentId('recover');
        const request = { target: target('lost-delete'), action: 'delete' as const, deploymentId, signal };
        await assert.rejects(viaProxy.recover(request), (error: unknown) => error instanceof ProviderError && error.retryable);
        await untilDeleted('lost-delete');
        const retried = await viaProxy.recover(request);
        assert.equal(retried.operation.kind, 'delete');
        assert.equal(callsOf('DeleteStack').length, 1, 'nothing deleted twice');
        assert.equal((await provider.describeTarget({ target: target('lost-delete'), signal })).condition, 'missing', 'the machine goes on to create it');
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    });

    /** A stack whose delete failed (a queue refused to go): DELETE_FAILED, where delete and forceDelete are offered. */
    async function deleteFailed(name: string): Promise<void> {
      await deployed(
        name,
        `Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      Stackwatch:
        Fail: "Queue in use"
        FailOn: [delete]
`,
      );
      await cfn.send(new DeleteStackCommand({ StackName: name }));
      for (let i = 0; liveStack(name)?.status !== 'DELETE_FAILED'; i++) {
        if (i > 1_000) throw new Error(`${name} is still ${liveStack(name)?.status}`);
        await sleep(10);
      }
    }

    it('forceDelete: a window reloaded during recreating after the delete finished goes on, with no second DeleteStack', async () => {
      await deleteFailed('reloaded-delete');
      const deploymentId = uniqueDeploymentId('recover');
      await provider.recover({ target: target('reloaded-delete'), action: 'forceDelete', deploymentId, signal });
      await untilDeleted('reloaded-delete');
      const resumed = await provider.recover({ target: target('reloaded-delete'), action: 'forceDelete', deploymentId, signal });
      assert.equal(resumed.operation.kind, 'delete');
      assert.equal(callsOf('DeleteStack').length, 2, "the setup's delete and the one forced delete");
    });

    it('delete: asked again while the first delete still runs, it follows that delete', async () => {
      await deleteFailed('slow-delete');
      // The clock stands still: the delete stays DELETE_IN_PROGRESS.
      sim.setSpeed(0);
      const deploymentId = uniqueDeploymentId('recover');
      await provider.recover({ target: target('slow-delete'), action: 'delete', deploymentId, signal });
      assert.equal(liveStack('slow-delete')?.status, 'DELETE_IN_PROGRESS');
      const again = await provider.recover({ target: target('slow-delete'), action: 'delete', deploymentId, signal });
      assert.equal(again.operation.kind, 'delete');
      assert.equal(callsOf('DeleteStack').length, 2, "the setup's delete and one recovery delete");
    });

    it('continueRollback: asked again after the rollback completed, nothing is sent and nothing fails', async () => {
      await deployed('continued', APP());
      const failing = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: adapter-bucket
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      Stackwatch:
        Fail: "Queue update refused"
        FailOn: [update]
        FailRollback: "Queue in use"
    Properties:
      VisibilityTimeout: 45
`;
      const { operation } = await updating('continued', failing);
      await follow('continued', operation);
      assert.equal(liveStack('continued')?.status, 'UPDATE_ROLLBACK_FAILED');
      const deploymentId = uniqueDeploymentId('recover');
      await provider.recover({ target: target('continued'), action: 'continueRollback', deploymentId, signal });
      for (let i = 0; liveStack('continued')?.status !== 'UPDATE_ROLLBACK_COMPLETE'; i++) {
        if (i > 1_000) throw new Error(`still ${liveStack('continued')?.status}`);
        await sleep(10);
      }
      const again = await provider.recover({ target: target('continued'), action: 'continueRollback', deploymentId, signal });
      assert.equal(again.operation.kind, 'rollback');
      assert.equal(callsOf('ContinueUpdateRollback').length, 1);
    });
  });

  describe('Abort racing an execute', () => {
    it('an execute that landed after Abort is reported, and nothing is removed', async () => {
      const deploymentId = uniqueDeploymentId('race');
      const staged = await stage('raced', APP({ queueSeconds: 60 }), deploymentId);
      await untilReady('raced', staged.stagedId);
      // Abort cancelled our ExecuteChangeSet request on the wire, but CloudFormation had it already.
      await cfn.send(
        new ExecuteChangeSetCommand({ ChangeSetName: staged.stagedId, StackName: 'raced', ClientRequestToken: executeToken(deploymentId, staged.stagedId) }),
      );
      const result = await provider.abortStaged({
        target: target('raced'),
        stagedId: staged.stagedId,
        deploymentId,
        attempt: 0,
        removeCreatedTarget: true,
        targetId: staged.targetId,
        signal,
      });
      assert.deepEqual(result, { executedMeanwhile: true });
      assert.equal(callsOf('DeleteChangeSet').length, 0);
      assert.equal(callsOf('DeleteStack').length, 0);
      assert.equal(liveStack('raced')?.status, 'CREATE_IN_PROGRESS');
    });

    it('a change set nobody executed is removed and says nothing was executed', async () => {
      const deploymentId = uniqueDeploymentId('race');
      const staged = await stage('not-raced', APP(), deploymentId);
      await untilReady('not-raced', staged.stagedId);
      const result = await provider.abortStaged({
        target: target('not-raced'),
        stagedId: staged.stagedId,
        deploymentId,
        attempt: 0,
        removeCreatedTarget: true,
        targetId: staged.targetId,
        signal,
      });
      assert.deepEqual(result, {});
      assert.equal(liveStack('not-raced'), undefined);
    });
  });

  describe('a window that reloads while a call is unanswered (machine and adapter)', () => {
    /** A deployment through a proxy that forwards `action` and never answers it; the window then reloads. */
    async function interrupted(stackName: string, template: string, action: string, store: MemoryStore): Promise<void> {
      let held = 0;
      const proxy = await shapingProxy(sim.url, (called) => (called === action && held++ === 0 ? { kind: 'hold' } : { kind: 'pass' }));
      const viaProxy = awsProvider(proxy.url);
      try {
        const session = startDeployment({ provider: viaProxy, stackName, template, store });
        for (let i = 0; held === 0 || callsOf(action).length === 0; i++) {
          if (i > 1_000) throw new Error(`${action} never reached CloudFormation; state ${JSON.stringify(session.snapshot.value)}`);
          await sleep(20);
        }
        await session.flush();
        session.dispose();
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    }

    // The adapter adopts the change set (see 'a change set already made under our name is adopted');
    // a resumed staging re-reads the template, then stages the same attempt without re-reading the
    // target, so the REVIEW_IN_PROGRESS shell its own change set made is never judged.
    it('during staging of a new stack: the same change set is adopted, nothing left over, nothing asked', async () => {
      const store = new MemoryStore();
      await interrupted('reload-staging', APP(), 'CreateChangeSet', store);
      const resumed = await DeploymentSession.restore(target('reload-staging'), { provider, workspace: workspaceFor({ template: APP() }), store });
      assert.ok(resumed);
      const end = await waitFor(resumed, (s) => s.status === 'done' || s.matches('awaitingConsent'), 30_000, 'the end');
      resumed.dispose();
      assert.equal(end.value, 'succeeded', `${JSON.stringify(end.value)}: ${end.context.error?.message ?? ''}`);
      const names = new Set(callsOf('CreateChangeSet').map((c) => c.params.ChangeSetName));
      assert.equal(names.size, 1, 'the resumed staging asked for the same change set');
      assert.equal(callsOf('ExecuteChangeSet').length, 1);
      assert.equal(liveStack('reload-staging')?.status, 'CREATE_COMPLETE');
    });

    it('during execute: what happened is asked, not repeated, and followed to the end', async () => {
      await deployed('reload-execute', APP());
      const store = new MemoryStore();
      await interrupted('reload-execute', APP({ queueSeconds: 20 }), 'ExecuteChangeSet', store);
      const resumed = await DeploymentSession.restore(target('reload-execute'), {
        provider,
        workspace: workspaceFor({ template: APP({ queueSeconds: 20 }) }),
        store,
      });
      assert.ok(resumed);
      const end = await waitForEnd(resumed);
      resumed.dispose();
      assert.equal(end.value, 'succeeded', end.context.error?.message);
      assert.equal(end.context.providerStatus, 'UPDATE_COMPLETE');
      assert.equal(callsOf('ExecuteChangeSet').length, 2, 'the base deployment and ours, once');
      assert.ok(end.context.events.some((e) => e.logicalId === 'Queue' && e.providerStatus === 'UPDATE_COMPLETE'));
      assert.equal(liveStack('reload-execute')?.status, 'UPDATE_COMPLETE');
    });
  });

  describe('second review: cleanup, unreadable answers, who ended the stack', () => {
    /** An empty REVIEW_IN_PROGRESS stack someone left: their CREATE change set made it, then was deleted. */
    async function emptyShell(name: string): Promise<string> {
      const made = await cfn.send(new CreateChangeSetCommand({ StackName: name, ChangeSetName: 'colleague', ChangeSetType: 'CREATE', TemplateBody: APP() }));
      for (let i = 0; i < 400 && liveStack(name)?.changeSets[0]?.status !== 'CREATE_COMPLETE'; i++) await sleep(10);
      await cfn.send(new DeleteChangeSetCommand({ StackName: name, ChangeSetName: 'colleague' }));
      assert.equal(liveStack(name)?.status, 'REVIEW_IN_PROGRESS');
      assert.equal(liveStack(name)?.changeSets.length, 0);
      return made.StackId ?? '';
    }

    it('staging into an empty shell someone left did not create it: cleanup removes our change set and leaves their stack', async () => {
      const stackId = await emptyShell('left-shell');
      const described = await provider.describeTarget({ target: target('left-shell'), signal });
      assert.equal(described.targetId, stackId);
      const deploymentId = uniqueDeploymentId('shell');
      const staged = await stage('left-shell', APP(), deploymentId, { condition: described.condition, targetId: described.targetId });
      assert.equal(staged.targetId, stackId);
      assert.equal(staged.createdTarget, false, 'the stack existed before staging');
      await untilReady('left-shell', staged.stagedId);
      await provider.abortStaged({
        target: target('left-shell'),
        stagedId: staged.stagedId,
        deploymentId,
        attempt: 0,
        removeCreatedTarget: staged.createdTarget,
        targetId: staged.targetId,
        signal,
      });
      assert.equal(liveStack('left-shell')?.id, stackId, 'their shell is still there');
      assert.equal(liveStack('left-shell')?.changeSets.length, 0, 'our change set is gone');
      assert.equal(callsOf('DeleteStack').length, 0);
    });

    it('staging a new stack created it, and a retry after a lost answer still knows it: cleanup removes it', async () => {
      let lost = 0;
      const proxy = await shapingProxy(sim.url, (action) => (action === 'CreateChangeSet' && lost++ === 0 ? { kind: 'lose' } : { kind: 'pass' }));
      const viaProxy = awsProvider(proxy.url);
      try {
        const deploymentId = uniqueDeploymentId('new');
        await assert.rejects(stage('new-shell', APP(), deploymentId, { via: viaProxy }));
        // The retry is asked with the same targetId as the first call: none.
        const staged = await stage('new-shell', APP(), deploymentId, { via: viaProxy });
        assert.equal(staged.createdTarget, true);
        await untilReady('new-shell', staged.stagedId);
        await provider.abortStaged({
          target: target('new-shell'),
          stagedId: staged.stagedId,
          deploymentId,
          attempt: 0,
          removeCreatedTarget: staged.createdTarget,
          targetId: staged.targetId,
          signal,
        });
        assert.equal(liveStack('new-shell'), undefined);
        assert.equal(callsOf('DeleteStack').length, 1);
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    });

    const EMPTY_STACKS = Buffer.from(
      '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks/></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>',
    );
    const STATUSLESS_MEMBER = Buffer.from(
      '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>x</StackName></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStacksResponse>',
    );
    const isUnreadable = (error: unknown): boolean =>
      error instanceof ProviderError && error.code === 'Transient' && error.retryable && /could not be read/.test(error.message);

    it('a DescribeStacks answer with no stack in it is unreadable: never missing, never a finished delete, never nothing to stop', async () => {
      await deployed('empty-answer', APP());
      const stackId = liveStack('empty-answer')?.id;
      for (const body of [EMPTY_STACKS, STATUSLESS_MEMBER]) {
        const proxy = await shapingProxy(sim.url, (action) => (action === 'DescribeStacks' ? { kind: 'replace', body } : { kind: 'pass' }));
        const viaProxy = awsProvider(proxy.url);
        try {
          await assert.rejects(viaProxy.describeTarget({ target: target('empty-answer'), signal }), isUnreadable, 'describeTarget');
          const deleting: OperationRef = { token: 'sw-someone-delete', startedAt: new Date().toISOString(), kind: 'delete', targetId: stackId };
          await assert.rejects(viaProxy.poll({ target: target('empty-answer'), operation: deleting, signal }), isUnreadable, 'poll of a delete');
          const updating: OperationRef = { token: 'sw-someone-update', startedAt: new Date().toISOString(), kind: 'update', targetId: stackId };
          await assert.rejects(viaProxy.stop({ target: target('empty-answer'), operation: updating, deploymentId: 'dep-stop', signal }), isUnreadable, 'stop');
          await assert.rejects(
            viaProxy.recover({ target: target('empty-answer'), action: 'delete', deploymentId: 'dep-recover', signal }),
            isUnreadable,
            'recover',
          );
        } finally {
          viaProxy.dispose();
          await proxy.close();
        }
      }
      assert.equal(liveStack('empty-answer')?.status, 'CREATE_COMPLETE');
      assert.equal(callsOf('DeleteStack').length + callsOf('CancelUpdateStack').length, 0);
    });

    it('a DescribeChangeSet answer without a status is unreadable, not a change set "gone in an unknown state"', async () => {
      const deploymentId = uniqueDeploymentId('statusless');
      const staged = await stage('statusless-cs', APP(), deploymentId);
      await untilReady('statusless-cs', staged.stagedId);
      const body = Buffer.from(
        '<DescribeChangeSetResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeChangeSetResult><ChangeSetName>x</ChangeSetName></DescribeChangeSetResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeChangeSetResponse>',
      );
      const proxy = await shapingProxy(sim.url, (action) => (action === 'DescribeChangeSet' ? { kind: 'replace', body } : { kind: 'pass' }));
      const viaProxy = awsProvider(proxy.url);
      try {
        await assert.rejects(viaProxy.findExecution({ target: target('statusless-cs'), stagedId: staged.stagedId, deploymentId, signal }), isUnreadable);
        await assert.rejects(viaProxy.describeStaged({ target: target('statusless-cs'), stagedId: staged.stagedId, signal }), isUnreadable);
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    });

    /** Polls a fixed number of times (no clock), collecting phases; never more than `polls`. */
    async function pollTimes(name: string, operation: OperationRef, polls: number): Promise<PollResult[]> {
      const results: PollResult[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < polls; i++) {
        const result = await provider.poll({ target: target(name), operation, cursor, signal });
        cursor = result.cursor;
        results.push(result);
        if (ENDED.has(result.phase)) break;
      }
      return results;
    }

    it('a stack someone deleted (DELETE_COMPLETE by its ARN) never ends our update as succeeded', async () => {
      await deployed('deleted-under', APP());
      sim.configure({ echoEventTokens: false, echoOperationIds: false });
      const { operation } = await updating('deleted-under', APP({ queueSeconds: 3 }));
      sim.setSpeed(0);
      sim.advance(600);
      assert.equal(liveStack('deleted-under')?.status, 'UPDATE_COMPLETE');
      sim.asOtherClient({ action: 'DeleteStack', stackName: 'deleted-under' });
      sim.advance(600);
      assert.equal(liveStack('deleted-under'), undefined);
      const results = await pollTimes('deleted-under', operation, 8);
      assert.ok(
        results.every((r) => r.phase !== 'succeeded'),
        `phases: ${results.map((r) => `${r.phase} ${r.providerStatus}`).join(', ')}`,
      );
      const last = results.at(-1);
      assert.equal(last?.phase, 'unknown');
      assert.match(last?.statusReason ?? '', /someone deleted it/);
    });

    it('a settled status unchanged since before our operation started is not taken as its outcome, however long we wait', async () => {
      await deployed('stale-status', APP());
      sim.setSpeed(0);
      sim.configure({ echoEventTokens: false, echoOperationIds: false });
      const stack = liveStack('stale-status');
      // Our execute was accepted a minute after the stack's last change, and nothing has shown since.
      const changedAt = Date.parse(stack?.lastUpdatedTime ?? stack?.creationTime ?? '');
      const operation: OperationRef = {
        token: executeToken('dep-stale', 'arn:cs'),
        startedAt: new Date(changedAt + 60_000).toISOString(),
        kind: 'update',
        targetId: stack?.id,
      };
      const results = await pollTimes('stale-status', operation, 10);
      assert.ok(
        results.every((r) => !ENDED.has(r.phase)),
        `phases: ${results.map((r) => r.phase).join(', ')}`,
      );
      assert.equal(results.at(-1)?.phase, 'unknown');
      assert.match(results.at(-1)?.statusReason ?? '', /not changed since before this operation started/);
    });

    it('our operation pushed out of LastOperations by later ones of someone else is not ended by their status', async () => {
      await deployed('pushed-out', APP());
      // Events carry neither token nor OperationId; the stack still lists its last operations.
      const strip = (answer: Buffer): Shaping => ({
        kind: 'replace',
        body: Buffer.from(answer.toString('utf8').replace(/<(ClientRequestToken|OperationId)>[^<]*<\/\1>/g, '')),
      });
      const proxy = await shapingProxy(sim.url, (action, answer) => (action === 'DescribeStackEvents' ? strip(answer) : { kind: 'pass' }));
      const viaProxy = awsProvider(proxy.url);
      try {
        const { operation } = await updating('pushed-out', APP({ queueSeconds: 60 }));
        sim.setSpeed(0);
        const first = await viaProxy.poll({ target: target('pushed-out'), operation, signal });
        assert.equal(first.phase, 'inProgress');
        sim.advance(600);
        assert.equal(liveStack('pushed-out')?.status, 'UPDATE_COMPLETE');
        for (let i = 0; i < 5; i++) {
          sim.asOtherClient({ action: 'UpdateStack', stackName: 'pushed-out', templateBody: APP({ queueSeconds: 40 + i }) });
          sim.advance(600);
        }
        assert.equal(liveStack('pushed-out')?.status, 'UPDATE_COMPLETE');
        const next = await viaProxy.poll({ target: target('pushed-out'), operation, cursor: first.cursor, signal });
        assert.equal(next.phase, 'unknown', `${next.phase} ${next.providerStatus}`);
        assert.match(next.statusReason ?? '', /Another operation/);
      } finally {
        viaProxy.dispose();
        await proxy.close();
      }
    });

    it('a CreateChangeSet abandoned by Abort that lands after the first read is still removed, with the stack it made', async () => {
      let release: (() => void) | undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      // Holds CreateChangeSet on its way to CloudFormation until released; passes everything else.
      const proxy = await shapingProxy(
        sim.url,
        () => ({ kind: 'pass' }),
        (action) => (action === 'CreateChangeSet' ? held : Promise.resolve()),
      );
      const viaProxy = awsProvider(proxy.url);
      const aborter = awsProvider(sim.url, { changeSetPollMs: 200 });
      try {
        const deploymentId = uniqueDeploymentId('late');
        const controller = new AbortController();
        const staging = stage('late-landing', APP(), deploymentId, { via: viaProxy, signal: controller.signal });
        await sleep(50);
        controller.abort();
        await assert.rejects(staging, (error: unknown) => error instanceof ProviderError && error.code === 'Aborted');
        const cleaning = aborter.abortStaged({ target: target('late-landing'), deploymentId, attempt: 0, removeCreatedTarget: true, signal });
        for (let i = 0; callsOf('DescribeChangeSet').length === 0; i++) {
          if (i > 1_000) throw new Error('cleanup never read the change set');
          await sleep(5);
        }
        assert.equal(callsOf('CreateChangeSet').length, 0, 'the first read found nothing');
        release?.();
        await cleaning;
        assert.equal(callsOf('CreateChangeSet').length, 1, 'the abandoned stage landed');
        assert.equal(liveStack('late-landing'), undefined, 'its change set and REVIEW_IN_PROGRESS stack are gone');
        assert.equal(callsOf('DeleteStack').length, 1);
      } finally {
        release?.();
        viaProxy.dispose();
        aborter.dispose();
        await proxy.close();
      }
    });
  });
});

describe('AWS adapter: a backlog of events longer than one poll reads at once (cfn-sim, one event a page)', () => {
  let sim: CfnSim;
  let provider: AwsProvider;

  before(async () => {
    // A frozen clock: the backlog between two polls is exactly what advance() makes happen.
    sim = await startCfnSim({ speed: 0, eventsPageSize: 1, changeSetSeconds: 1 });
    provider = awsProvider(sim.url);
  });
  after(async () => {
    provider.dispose();
    await sim.close();
  });

  const target = { provider: 'aws' as const, name: 'backlog', region: 'us-east-1' };
  const QUEUES = 30;
  // Thirty queues are created, then the bucket fails, then the rollback deletes the thirty: the
  // failure (the root cause) is more than 60 events below the newest when the next poll comes.
  const template = `Resources:
${Array.from(
  { length: QUEUES },
  (_, i) => `  Queue${i}:
    Type: AWS::SQS::Queue
    Metadata:
      Stackwatch:
        Seconds: 1
`,
).join('')}  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      Stackwatch:
        Seconds: 5
        Fail: "Bucket name is taken"
        FailOn: [create]
`;

  it('no event is skipped: the failed resource far below the newest event is still read', async () => {
    const deploymentId = uniqueDeploymentId('backlog');
    const staged = await provider.stage({
      target,
      template: templateSource(template),
      parameters: [],
      capabilities: [],
      condition: 'missing',
      deploymentId,
      attempt: 0,
      signal,
    });
    sim.advance(5);
    assert.equal((await provider.describeStaged({ target, stagedId: staged.stagedId, signal })).state, 'ready');
    const { operation } = await provider.execute({ target, stagedId: staged.stagedId, deploymentId, signal });
    const first = await provider.poll({ target, operation, signal });
    assert.equal(first.phase, 'inProgress');
    sim.advance(1_000);
    const stack = sim.stacks().find((s) => s.name === 'backlog');
    assert.equal(stack?.status, 'ROLLBACK_COMPLETE');
    const events = [...first.events];
    let cursor = first.cursor;
    let last: PollResult | undefined;
    let pagesRead = 0;
    for (let i = 0; i < 10 && !(last && ENDED.has(last.phase)); i++) {
      last = await provider.poll({ target, operation, cursor, signal });
      cursor = last.cursor;
      pagesRead += last.pagesRead;
      events.push(...last.events);
    }
    assert.equal(last?.phase, 'rolledBack');
    assert.ok(pagesRead > 50, `the backlog spans more pages than one poll used to read (${pagesRead})`);
    const failed = events.find((e) => e.logicalId === 'Bucket' && e.providerStatus === 'CREATE_FAILED');
    assert.ok(failed, 'the root cause is among the events');
    assert.equal(failed.reason, 'Bucket name is taken');
    const ids = events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event twice');
    assert.equal(events.filter((e) => e.providerStatus === 'CREATE_COMPLETE' && e.logicalId.startsWith('Queue')).length, QUEUES, 'every queue created');
    assert.equal(events.filter((e) => e.providerStatus === 'DELETE_COMPLETE' && e.logicalId.startsWith('Queue')).length, QUEUES, 'every queue deleted');
    const times = events.map((e) => Date.parse(e.timestamp));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      'oldest first',
    );
  });

  it('a lost execute is found back to its start, however many pages of its events came since', async () => {
    const found = { ...target, name: 'backlog-found' };
    const deploymentId = uniqueDeploymentId('found');
    const staged = await provider.stage({
      target: found,
      template: templateSource(template),
      parameters: [],
      capabilities: [],
      condition: 'missing',
      deploymentId,
      attempt: 0,
      signal,
    });
    sim.advance(5);
    await provider.execute({ target: found, stagedId: staged.stagedId, deploymentId, signal });
    const first = await provider.poll({
      target: found,
      operation: { token: executeToken(deploymentId, staged.stagedId), startedAt: new Date(0).toISOString(), kind: 'create' },
      signal,
    });
    const start = first.events.find((e) => e.logicalId === 'backlog-found' && e.providerStatus === 'CREATE_IN_PROGRESS');
    assert.ok(start, 'the execution started');
    sim.advance(1_000);
    assert.equal(sim.stacks().find((s) => s.name === 'backlog-found')?.status, 'ROLLBACK_COMPLETE');
    // A window reloaded: a new adapter, knowing only the change set and the deployment.
    const resumed = awsProvider(sim.url);
    try {
      const result = await resumed.findExecution({ target: found, stagedId: staged.stagedId, deploymentId, signal });
      assert.equal(result.state, 'executed');
      if (result.state !== 'executed') return;
      assert.equal(result.operation.kind, 'create');
      assert.equal(result.operation.startedAt, start.timestamp, 'the operation starts at its first event, not at one of the last pages read');
    } finally {
      resumed.dispose();
    }
  });
});

describe('AWS adapter: a consent is about the stack it was given for (cfn-sim)', () => {
  let sim: CfnSim;
  before(async () => {
    sim = await startCfnSim({ speed: 50 });
  });
  after(async () => {
    await sim.close();
  });

  it('a stack deleted and created anew under the same name since the consent is not deleted on it', async () => {
    const provider = awsProvider(sim.url);
    try {
      await seedBrokenStack(sim, 'consented-once');
      const consentedAbout = await provider.describeTarget({ target: { provider: 'aws', name: 'consented-once', region: 'us-east-1' }, signal });
      assert.equal(consentedAbout.providerStatus, 'ROLLBACK_COMPLETE');
      // Meanwhile someone deletes it and creates a healthy stack with the same name.
      sim.asOtherClient({ action: 'DeleteStack', stackName: 'consented-once' });
      sim.advance(120);
      const fresh = startDeployment({ provider, stackName: 'consented-once', template: APP(), autoExecute: true });
      assert.equal((await waitForEnd(fresh)).value, 'succeeded');
      fresh.dispose();
      const before = sim.calls().length;
      await assert.rejects(
        provider.recover({
          target: { provider: 'aws', name: 'consented-once', region: 'us-east-1' },
          action: 'delete',
          deploymentId: 'dep-consent',
          targetId: consentedAbout.targetId,
          signal,
        }),
        (error: unknown) => error instanceof ProviderError && error.code === 'Conflict' && /another stack named consented-once/.test(error.message),
      );
      assert.equal(
        sim
          .calls()
          .slice(before)
          .filter((c) => c.action === 'DeleteStack').length,
        0,
        'nothing deleted on the old consent',
      );
      assert.equal(sim.stacks().find((s) => s.name === 'consented-once' && !s.deleted)?.status, 'CREATE_COMPLETE');
    } finally {
      provider.dispose();
    }
  });
});
