/**
 * Injected faults as the SDK sees them, the /_sim control routes over plain HTTP, real-time
 * speed, and the CLI.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ValidateTemplateCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CallRecord, type CfnSim, type SimStackView } from '../../tools/cfn-sim/index';
import { clientFor, deploy, describeStack } from './support';

const QUEUE = 'Resources:\n  Q: { Type: AWS::SQS::Queue }\n';

describe('cfn-sim faults', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim, { maxAttempts: 1 });
  });
  beforeEach(() => sim.reset());
  after(async () => {
    cfn.destroy();
    await sim.close();
  });

  it('throttle: HTTP 400 Throttling "Rate exceeded", for exactly `count` matching calls', async () => {
    sim.inject({ action: 'DescribeStacks', kind: 'throttle', count: 2 });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(cfn.send(new DescribeStacksCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }) => {
        assert.equal(e.name, 'Throttling');
        assert.equal(e.message, 'Rate exceeded');
        assert.equal(e.$metadata?.httpStatusCode, 400);
        assert.equal(e.$fault, 'client');
        return true;
      });
    }
    await cfn.send(new ValidateTemplateCommand({ TemplateBody: QUEUE }));
    await cfn.send(new DescribeStacksCommand({}));
    assert.deepEqual(
      sim.calls().map((c) => [c.action, c.fault, c.status]),
      [
        ['DescribeStacks', 'throttle', 400],
        ['DescribeStacks', 'throttle', 400],
        ['ValidateTemplate', undefined, 200],
        ['DescribeStacks', undefined, 200],
      ],
    );
  });

  it('server-error: HTTP 500 InternalFailure, a server fault', async () => {
    sim.inject({ kind: 'server-error', count: 1 });
    await assert.rejects(
      cfn.send(new ValidateTemplateCommand({ TemplateBody: QUEUE })),
      (e: Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }) => {
        assert.equal(e.name, 'InternalFailure');
        assert.equal(e.$metadata?.httpStatusCode, 500);
        assert.equal(e.$fault, 'server');
        return true;
      },
    );
    assert.equal(sim.calls()[0]?.status, 500);
  });

  it('drop: the connection closes without a response', async () => {
    sim.inject({ action: 'DescribeStackEvents', kind: 'drop', count: 1 });
    await deploy(sim, cfn, 'dropped', QUEUE);
    await assert.rejects(cfn.send(new DescribeStackEventsCommand({ StackName: 'dropped' })), (e: Error) =>
      /socket hang up|ECONNRESET|aborted|closed/i.test(`${e.name} ${e.message} ${String((e as { code?: string }).code)}`),
    );
    const dropped = sim.calls().filter((c) => c.fault === 'drop');
    assert.deepEqual(
      dropped.map((c) => [c.action, c.status]),
      [['DescribeStackEvents', 0]],
    );
    const events = await cfn.send(new DescribeStackEventsCommand({ StackName: 'dropped' }));
    assert.ok((events.StackEvents?.length ?? 0) > 0, 'the next call goes through');
  });

  it('the SDK’s own retries treat an injected throttle as retryable', async () => {
    const retrying = clientFor(sim, { maxAttempts: 3 });
    sim.inject({ action: 'ValidateTemplate', kind: 'throttle', count: 2 });
    const result = await retrying.send(new ValidateTemplateCommand({ TemplateBody: QUEUE }));
    assert.equal(result.$metadata.attempts, 3);
    retrying.destroy();
  });

  it('reset forgets stacks, faults and calls', async () => {
    await deploy(sim, cfn, 'gone', QUEUE);
    sim.inject({ kind: 'throttle', count: 5 });
    sim.reset();
    assert.deepEqual(sim.stacks(), []);
    assert.deepEqual(sim.calls(), []);
    await cfn.send(new DescribeStacksCommand({}));
    assert.equal(sim.calls()[0]?.fault, undefined);
  });

  it('rejects malformed fault rules', () => {
    assert.throws(() => sim.inject({ kind: 'explode' as 'drop', count: 1 }), /fault kind/);
    assert.throws(() => sim.inject({ kind: 'drop', count: 0 }), /positive integer/);
  });
});

describe('cfn-sim control routes', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, json: await res.json() };
  };

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim, { maxAttempts: 1 });
  });
  after(async () => {
    cfn.destroy();
    await sim.close();
  });

  it('state, calls, faults, advance, speed and reset over HTTP', async () => {
    await deploy(sim, cfn, 'ctl', QUEUE);
    const state = (await control('GET', '/_sim/state')).json as { now: string; speed: number; stacks: SimStackView[] };
    assert.equal(state.speed, 0);
    assert.deepEqual(
      state.stacks.map((s) => [s.name, s.status, s.deleted, s.resources.map((r) => `${r.logicalId} ${r.type} ${r.status}`)]),
      [['ctl', 'CREATE_COMPLETE', false, ['Q AWS::SQS::Queue CREATE_COMPLETE']]],
    );
    assert.match(state.stacks[0]?.changeSets[0]?.executionStatus ?? '', /EXECUTE_COMPLETE/);

    const calls = (await control('GET', '/_sim/calls')).json as CallRecord[];
    assert.ok(calls.some((c) => c.action === 'ExecuteChangeSet'));
    assert.ok(!calls.some((c) => c.action.startsWith('_sim')), 'control routes are not API calls');
    assert.ok(calls.every((c) => !('Action' in c.params) && !('Version' in c.params)));

    const advanced = (await control('POST', '/_sim/advance', { seconds: 3600 })).json as { now: string };
    assert.equal(Date.parse(advanced.now) - Date.parse(state.now), 3_600_000);
    assert.equal(((await control('POST', '/_sim/speed', { speed: 25 })).json as { speed: number }).speed, 25);
    sim.setSpeed(0);

    assert.equal((await control('POST', '/_sim/faults', { action: 'DescribeStacks', kind: 'throttle', count: 1 })).status, 200);
    assert.deepEqual((await control('GET', '/_sim/faults')).json, [{ action: 'DescribeStacks', kind: 'throttle', count: 1 }]);
    await assert.rejects(describeStack(cfn, 'ctl'), (e: Error) => e.name === 'Throttling');
    assert.deepEqual((await control('GET', '/_sim/faults')).json, [], 'used up');

    assert.equal((await control('POST', '/_sim/faults', { kind: 'nope', count: 1 })).status, 400);
    assert.equal((await control('POST', '/_sim/advance', 'not json')).status, 400);
    assert.equal((await control('POST', '/_sim/speed', { speed: -1 })).status, 400);
    assert.equal((await control('GET', '/_sim/nothing')).status, 404);
    assert.equal((await fetch(`${sim.url}/`)).status, 404, 'GET / is not an API call');

    assert.equal((await control('POST', '/_sim/reset')).status, 200);
    assert.deepEqual(((await control('GET', '/_sim/state')).json as { stacks: unknown[] }).stacks, []);
    assert.deepEqual((await control('GET', '/_sim/calls')).json, []);
  });
});

describe('cfn-sim in real time', () => {
  it('runs at `speed` simulated seconds per real second, lazily on each request', async () => {
    const sim = await startCfnSim({ speed: 200, changeSetSeconds: 2 });
    const cfn = clientFor(sim);
    try {
      const started = Date.now();
      const { Id } = await cfn.send(
        new CreateChangeSetCommand({
          StackName: 'fast',
          ChangeSetName: 'go',
          ChangeSetType: 'CREATE',
          TemplateBody: 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Seconds: 20 } }\n',
        }),
      );
      const poll = async (read: () => Promise<string | undefined>, want: string): Promise<void> => {
        for (let i = 0; i < 200 && (await read()) !== want; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.equal(await read(), want);
      };
      await poll(async () => (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).Status, 'CREATE_COMPLETE');
      await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
      await poll(async () => (await describeStack(cfn, 'fast')).StackStatus, 'CREATE_COMPLETE');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 100 && elapsed < 2_000, `22 simulated seconds at 200x took ${elapsed} ms`);
      const stack = await describeStack(cfn, 'fast');
      // Speed 0 freezes time where it is; advance() then moves it exactly.
      const now = async (): Promise<number> => Date.parse(((await (await fetch(`${sim.url}/_sim/state`)).json()) as { now: string }).now);
      sim.setSpeed(0);
      const frozen = await now();
      assert.ok(frozen >= stack.CreationTime!.getTime() + 20_000, 'at least the 20 simulated seconds of the queue have passed');
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(await now(), frozen);
      sim.advance(10);
      assert.equal(await now(), frozen + 10_000);
    } finally {
      cfn.destroy();
      await sim.close();
    }
  });
});

describe('cfn-sim CLI', () => {
  it('prints its URL, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tools/cfn-sim/main.ts', '--port', '0', '--speed', '5', '--durations', 'realistic', '--duration-seed', '3', '--no-event-tokens'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
      const state = (await (await fetch(`${url}/_sim/state`)).json()) as { speed: number };
      assert.equal(state.speed, 5);
      const config = (await (await fetch(`${url}/_sim/config`)).json()) as Record<string, unknown>;
      assert.deepEqual([config['durations'], config['durationSeed'], config['echoEventTokens'], config['echoOperationIds']], ['realistic', 3, false, true]);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
