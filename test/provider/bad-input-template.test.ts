/**
 * Bad template, parameters-file, encoding and symlink input, end to end: the real template
 * initializer (with the workspace folder the extension passes), machine, adapter and SDK
 * against the CloudFormation simulator. Every kind must end failed with a message that names
 * the file and line, or the setting; the message is bounded; and the simulator's own request
 * log (GET /_sim/calls) shows that nothing was written to the cloud.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { createTemplateInitializer } from '../../src/providers/aws/template/initialize';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { awsProvider, startDeployment, waitForEnd } from '../support/awsDeployment';
import { BAD_INPUT_CASES, type BadInputCase } from '../fixtures/templates/badInputCases';

/** Bounds from the brief: a message fits a notification; the hint is one or two sentences. */
const MAX_MESSAGE_CHARS = 600;
const MAX_HINT_CHARS = 400;
/** Read-only CloudFormation actions; anything else reaching the endpoint is a cloud write. */
const READ_ONLY = /^(Describe|List|Get|Validate|Estimate|Detect)/;

interface CallRecord {
  action: string;
}

const kinds = new Set(BAD_INPUT_CASES.map((c) => c.kind));

describe(`bad template, parameters-file, encoding and symlink input (${BAD_INPUT_CASES.length} kinds): a clear, bounded message and zero cloud writes`, () => {
  let sim: CfnSim;
  let provider: AwsProvider;
  const base = mkdtempSync(join(tmpdir(), 'stackwatch-bad-template-'));

  before(async () => {
    sim = await startCfnSim({ speed: 50 });
    provider = awsProvider(sim.url);
  });
  beforeEach(() => sim.reset());
  after(async () => {
    provider.dispose();
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  });

  /** Lays out `ws/` (the workspace folder) and `outside/` under a fresh root. */
  function layOut(testCase: BadInputCase, index: number): string {
    const root = join(base, `case-${index}`);
    mkdirSync(join(root, 'ws'), { recursive: true });
    mkdirSync(join(root, 'outside'), { recursive: true });
    for (const [path, content] of Object.entries(testCase.files)) {
      const target = join(root, path);
      mkdirSync(dirname(target), { recursive: true });
      if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(join(root, content.symlink), target);
      else writeFileSync(target, content);
    }
    return root;
  }

  async function deploy(settings: AwsStackSettings, workspaceFolder: string): Promise<DeploymentSnapshot> {
    const session = startDeployment({
      provider,
      stackName: settings.stackName,
      template: 'unused: the initializer reads the workspace',
      initialize: createTemplateInitializer(settings, provider, {
        describeCondition: (target, signal) => provider.describeTarget({ target, signal }).then((r) => r.condition),
        displayPath: (path) => relative(workspaceFolder, path),
        workspaceFolder,
      }),
    });
    const end = await waitForEnd(session, 30_000);
    session.dispose();
    return end;
  }

  async function cloudWrites(): Promise<string[]> {
    const response = await fetch(`${sim.url}/_sim/calls`);
    assert.equal(response.status, 200, 'the simulator answers its request log');
    const calls = (await response.json()) as CallRecord[];
    return calls.map((call) => call.action).filter((action) => !READ_ONLY.test(action));
  }

  BAD_INPUT_CASES.forEach((testCase, index) => {
    it(testCase.kind, async () => {
      const root = layOut(testCase, index);
      const workspace = join(root, 'ws');
      const templatePath = join(root, testCase.template ?? 'ws/template.yaml');
      const settings: AwsStackSettings = {
        provider: 'aws',
        templatePath,
        stackName: `bad-template-${index}`,
        region: 'us-east-1',
        endpoint: sim.url,
        parameters: testCase.parameters ?? {},
        parametersFile: testCase.parametersFile ? join(root, testCase.parametersFile) : undefined,
        capabilities: [],
        autoExecute: true,
        cfnLint: 'off',
      };

      const end = await deploy(settings, workspace);
      const error = end.context.error;
      assert.equal(end.value, 'failed', `ended ${JSON.stringify(end.value)}`);
      assert.ok(error, 'an error is shown');
      assert.equal(error.code, 'Template', error.message);
      const message = error.message;
      const { expect } = testCase;

      // Where: the file to open, its line, and the setting when the fix is a setting.
      const blamed = join(root, expect.file ?? testCase.template ?? 'ws/template.yaml');
      assert.equal(error.file, blamed, 'the error names the file to fix');
      const shown = relative(workspace, blamed);
      if (expect.line !== undefined) {
        assert.equal(error.line, expect.line, message);
        assert.ok(message.startsWith(`${shown}:${expect.line}`), `message starts with ${shown}:${expect.line}: ${message.slice(0, 120)}`);
      } else {
        assert.ok(message.startsWith(`${shown}: `), `message names ${shown}: ${message.slice(0, 120)}`);
      }
      if (expect.setting) {
        assert.equal(error.setting, expect.setting, 'the error names the setting');
        assert.ok(`${message} ${error.hint ?? ''}`.includes(expect.setting), 'the text names the setting');
      }
      assert.ok(expect.line !== undefined || error.setting !== undefined, 'either a line or a setting tells the user where');

      // What, and bounded.
      assert.match(message, expect.says);
      assert.ok(message.length <= MAX_MESSAGE_CHARS, `message is ${message.length} chars: ${message.slice(0, 200)}…`);
      assert.ok((error.hint ?? '').length <= MAX_HINT_CHARS, `hint is ${(error.hint ?? '').length} chars`);
      assert.ok(!message.includes('Maximum call stack'), 'no engine error leaks through');
      assert.ok(!message.includes('\uFFFD'), 'no replacement character: bytes are never silently repaired');
      if (expect.secret) {
        assert.ok(!`${message} ${error.hint ?? ''}`.includes(expect.secret), 'the NoEcho value is never echoed');
        assert.ok(!JSON.stringify(end.context).includes(expect.secret), 'nor kept anywhere in the machine context');
      }

      // Nothing reached the cloud but reads.
      assert.deepEqual(await cloudWrites(), [], 'no cloud write in the simulator request log');
      assert.deepEqual(sim.stacks(), [], 'the endpoint has no stack');
    });
  });

  it(`counts ${kinds.size} distinct kinds (at least 45)`, () => {
    assert.equal(kinds.size, BAD_INPUT_CASES.length, 'every case is a different kind');
    assert.ok(kinds.size >= 45, `${kinds.size} kinds`);
  });
});
