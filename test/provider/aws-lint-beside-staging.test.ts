/**
 * cfn-lint beside staging, end to end: the real template step, machine, adapter and SDK against
 * the simulator, with a stand-in cfn-lint that holds until the test releases it. The change set
 * is created while cfn-lint runs; auto-execute waits for it; its error blocks every execute,
 * deletes what was staged and points at its line; an unchanged template is answered from the
 * cache without starting cfn-lint; Abort while it runs kills it and cleans up.
 */
import { strict as assert } from 'node:assert';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import { CfnLintVersions } from '../../src/providers/aws/template/cfnLintVersion';
import { createTemplateInitializer } from '../../src/providers/aws/template/initialize';
import { LintResultStore } from '../../src/providers/aws/template/lintCache';
import { createLintCheck } from '../../src/providers/aws/template/lintCheck';
import { DeploymentSession } from '../../src/deployment/session';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { MemoryMemento } from '../support/memoryMemento';
import { awsProvider, uniqueDeploymentId, waitFor, waitForEnd } from '../support/awsDeployment';

const TEMPLATE = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 30\n';
const LINT_ERROR = [
  {
    Level: 'Error',
    Message: "'thirty' is not of type 'integer'",
    Rule: { Id: 'E3012' },
    Location: { Start: { LineNumber: 5, ColumnNumber: 7 } },
  },
];

describe('cfn-lint runs beside staging (simulator, stand-in cfn-lint)', () => {
  let sim: CfnSim;
  let provider: AwsProvider;
  let dir: string;
  let lintBin: string;
  let memory: MemoryMemento;

  before(async () => {
    sim = await startCfnSim({ speed: 50 });
    provider = awsProvider(sim.url);
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-lint-beside-'));
    lintBin = join(dir, 'cfn-lint');
    // Holds until the test writes `release`; answers answer.json with the exit code in `exit`.
    await writeFile(
      lintBin,
      [
        '#!/bin/sh',
        `D="${dir}"`,
        'if [ "$1" = "--version" ]; then echo "cfn-lint 0.0.0-standin"; exit 0; fi',
        'echo $$ > "$D/pid"; echo started >> "$D/runs"',
        'while [ ! -f "$D/release" ]; do sleep 0.02; done',
        'cat "$D/answer.json"; echo ended >> "$D/runs"',
        'exit "$(cat "$D/exit")"',
        '',
      ].join('\n'),
    );
    await chmod(lintBin, 0o755);
  });
  beforeEach(async () => {
    sim.reset();
    memory = new MemoryMemento();
    for (const name of ['release', 'runs', 'pid']) await rm(join(dir, name), { force: true });
    await answer([], 0);
  });
  after(async () => {
    provider.dispose();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function answer(findings: unknown[], exit: number): Promise<void> {
    await writeFile(join(dir, 'answer.json'), JSON.stringify(findings));
    await writeFile(join(dir, 'exit'), String(exit));
  }
  const release = () => writeFile(join(dir, 'release'), '');
  const runs = async () => (await readFile(join(dir, 'runs'), 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
  const actions = () => sim.calls().map((call) => call.action);

  async function deploy(stackName: string, templateText: string, autoExecute: boolean): Promise<DeploymentSession> {
    const templatePath = join(dir, `${stackName}.yaml`);
    await writeFile(templatePath, templateText);
    const settings: AwsStackSettings = {
      provider: 'aws',
      templatePath,
      stackName,
      region: 'us-east-1',
      endpoint: sim.url,
      parameters: {},
      capabilities: [],
      autoExecute,
      cfnLint: 'auto',
    };
    return DeploymentSession.start(
      { deploymentId: uniqueDeploymentId('lint'), target: { provider: 'aws', name: stackName, region: 'us-east-1' }, autoExecute },
      {
        provider,
        workspace: {
          preflight: async () => undefined,
          initialize: createTemplateInitializer(settings, provider, {
            describeCondition: (target, signal) => provider.describeTarget({ target, signal }).then((r) => r.condition),
          }),
          check: createLintCheck(settings, {
            executable: lintBin,
            memory,
            // A new window: nothing in memory, only what the workspace's storage holds.
            versions: new CfnLintVersions(memory, undefined, new Map()),
            results: new LintResultStore(memory, new Map()),
          }),
        },
      },
    );
  }

  /** The change set is ready and the deployment waits in the review for cfn-lint (auto-execute's request). */
  const waitingForLint = (session: DeploymentSession) =>
    waitFor(session, (s) => s.matches('reviewing') && s.context.executeRequested === true, 30_000, 'the review waiting for cfn-lint');

  it('creates the change set while cfn-lint runs; auto-execute waits for it, then executes', async () => {
    const session = await deploy('lint-beside', TEMPLATE, true);
    await waitingForLint(session);
    assert.ok(actions().includes('CreateChangeSet'), 'the change set was created');
    assert.deepEqual(await runs(), ['started'], 'while cfn-lint had not finished');
    assert.ok(!actions().includes('ExecuteChangeSet'), 'nothing executed before cfn-lint finished');
    await release();
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'succeeded');
    assert.deepEqual(await runs(), ['started', 'ended']);
    assert.equal(actions().filter((a) => a === 'ExecuteChangeSet').length, 1);
    assert.equal(end.context.check?.state, 'passed');
  });

  it('a cfn-lint error: never executed, the change set and the empty stack deleted, the error at its line', async () => {
    await answer(LINT_ERROR, 2);
    const session = await deploy('lint-error', TEMPLATE, true);
    await waitingForLint(session);
    await release();
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'failed');
    assert.ok(!actions().includes('ExecuteChangeSet'));
    assert.ok(actions().includes('DeleteStack') || actions().includes('DeleteChangeSet'), `cleaned up: ${actions().join(', ')}`);
    assert.deepEqual(
      sim.stacks().filter((stack) => !stack.deleted),
      [],
      'no stack is left',
    );
    assert.equal(end.context.error?.code, 'Template');
    assert.equal(end.context.error?.line, 5);
    assert.equal(end.context.error?.file, join(dir, 'lint-error.yaml'));
    assert.match(end.context.error?.message ?? '', /E3012/);
  });

  it('an unchanged template is answered from the cache: cfn-lint is not started again', async () => {
    await release();
    const first = await deploy('lint-cache', TEMPLATE, false);
    await waitFor(first, (s) => s.matches('reviewing') && s.context.check?.state === 'passed', 30_000, 'the first review');
    first.send({ type: 'ABORT' });
    await waitForEnd(first);
    first.dispose();
    assert.deepEqual(await runs(), ['started', 'ended']);

    const second = await deploy('lint-cache', TEMPLATE, true);
    const end = await waitForEnd(second);
    second.dispose();
    assert.equal(end.value, 'succeeded');
    assert.deepEqual(await runs(), ['started', 'ended'], 'no second run');
    assert.match(end.context.check?.note ?? '', /from cache/);
  });

  it('Abort while cfn-lint runs kills it and removes what was staged', async () => {
    const session = await deploy('lint-abort', TEMPLATE, true);
    await waitingForLint(session);
    const pid = Number(await readFile(join(dir, 'pid'), 'utf8'));
    session.send({ type: 'ABORT' });
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'aborted');
    assert.ok(!actions().includes('ExecuteChangeSet'));
    assert.deepEqual(
      sim.stacks().filter((stack) => !stack.deleted),
      [],
      'the empty stack the create made is gone',
    );
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      try {
        process.kill(pid, 0);
        await sleep(20);
      } catch {
        alive = false;
      }
    }
    assert.equal(alive, false, 'the cfn-lint process was killed');
    assert.ok(!existsSync(join(dir, 'release')));
    assert.deepEqual(await runs(), ['started'], 'it never finished');
  });
});
