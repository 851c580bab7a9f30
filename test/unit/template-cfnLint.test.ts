import { cfnLintProblem, skipOutsideCi } from '../../scripts/testTools';
import { strict as assert } from 'node:assert';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCfnLint } from '../../src/providers/aws/template/cfnLint';
import { fixture } from '../fixtures/templates/fixtures';

const FINDINGS = [
  {
    Level: 'Error',
    Message: "'thirty' is not of type 'integer'",
    Rule: { Id: 'E3012' },
    Location: { Start: { LineNumber: 10, ColumnNumber: 7 }, End: { LineNumber: 10, ColumnNumber: 24 } },
  },
  { Level: 'Warning', Message: 'Parameter Ports not used.', Rule: { Id: 'W2001' }, Location: { Start: { LineNumber: 6, ColumnNumber: 5 } } },
  { Level: 'Informational', Message: 'Consider something', Rule: { Id: 'I3011' }, Location: { Start: { LineNumber: 2, ColumnNumber: 1 } } },
];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(20);
  return !alive(pid);
}

describe('runCfnLint', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-lint-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  /** A stand-in cfn-lint: a shell script with the given body. */
  const fake = async (name: string, body: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  };
  const signal = (): AbortSignal => new AbortController().signal;

  it('passes --format json -- PATH from the template folder, and sorts findings by level', async () => {
    const output = join(dir, 'output.json');
    await writeFile(output, JSON.stringify(FINDINGS));
    const executable = await fake('lint-json', `echo "$@" > "${dir}/args"; pwd > "${dir}/cwd"; cat "${output}"; exit 6`);
    const result = await runCfnLint(fixture('lint-errors.yaml'), signal(), { executable });
    assert.deepEqual(result, {
      available: true,
      errors: [{ rule: 'E3012', message: "'thirty' is not of type 'integer'", line: 10, column: 7 }],
      warnings: [{ rule: 'W2001', message: 'Parameter Ports not used.', line: 6, column: 5 }],
    });
    assert.equal((await readFile(join(dir, 'args'), 'utf8')).trim(), `--format json --ignore-checks W3002 -- ${fixture('lint-errors.yaml')}`);
    assert.equal((await readFile(join(dir, 'cwd'), 'utf8')).trim(), fixture('.').replace(/\/\.$/, ''));
  });

  it('not installed: available false, no throw', async () => {
    assert.deepEqual(await runCfnLint(fixture('sam-api.yaml'), signal(), { executable: join(dir, 'no-such-cfn-lint') }), {
      available: false,
      errors: [],
      warnings: [],
    });
    const shim = await fake('pyenv-shim', 'echo "pyenv: cfn-lint: command not found" >&2; exit 127');
    assert.deepEqual(await runCfnLint(fixture('sam-api.yaml'), signal(), { executable: shim }), { available: false, errors: [], warnings: [] });
  });

  it('unreadable output becomes a note, not a crash', async () => {
    const broken = await fake('lint-crash', 'echo "Traceback (most recent call last):" >&2; exit 1');
    const result = await runCfnLint(fixture('sam-api.yaml'), signal(), { executable: broken });
    assert.equal(result.available, true);
    assert.deepEqual(result.errors, []);
    assert.equal(result.note, 'cfn-lint failed (exit code 1: Traceback (most recent call last):); the template was not linted.');
  });

  it('times out as a note that names the template (never a block: it runs beside staging), and kills cfn-lint', async () => {
    const slow = await fake('lint-slow', `echo $$ > "${dir}/slow.pid"; exec sleep 30`);
    const result = await runCfnLint(fixture('sam-api.yaml'), signal(), { executable: slow, timeoutMs: 300 });
    assert.equal(result.timedOut, true);
    assert.deepEqual(result.errors, []);
    assert.match(result.note ?? '', /^cfn-lint did not finish checking sam-api\.yaml within 0\.3 s, so the template was not linted\./);
    assert.ok(await waitUntilGone(Number(await readFile(join(dir, 'slow.pid'), 'utf8'))), 'the timed-out process was killed');
  });

  it('lints given text on stdin, from the template folder, without naming a file', async () => {
    const executable = await fake('lint-stdin', `echo "$@" > "${dir}/stdin-args"; cat > "${dir}/stdin-text"; echo '[]'`);
    const result = await runCfnLint(fixture('sam-api.yaml'), signal(), { executable, text: 'Resources: {}\n' });
    assert.deepEqual(result, { available: true, errors: [], warnings: [] });
    assert.equal((await readFile(join(dir, 'stdin-args'), 'utf8')).trim(), '--format json --ignore-checks W3002');
    assert.equal(await readFile(join(dir, 'stdin-text'), 'utf8'), 'Resources: {}\n');
  });

  it('honours the AbortSignal: rejects with its reason and kills cfn-lint', async () => {
    const slow = await fake('lint-abort', `echo $$ > "${dir}/abort.pid"; exec sleep 30`);
    const controller = new AbortController();
    const running = runCfnLint(fixture('sam-api.yaml'), controller.signal, { executable: slow });
    for (let i = 0; i < 100; i++) {
      const pid = await readFile(join(dir, 'abort.pid'), 'utf8').catch(() => '');
      if (pid.trim() !== '') break;
      await sleep(20);
    }
    const reason = new Error('stopped by the user');
    controller.abort(reason);
    await assert.rejects(running, (error: unknown) => error === reason);
    assert.ok(await waitUntilGone(Number(await readFile(join(dir, 'abort.pid'), 'utf8'))), 'the aborted process was killed');
    await assert.rejects(runCfnLint(fixture('sam-api.yaml'), controller.signal, { executable: slow }), (error: unknown) => error === reason);
  });

  it('real cfn-lint: errors and warnings with lines from the fixtures', async (t) => {
    const problem = cfnLintProblem();
    if (problem) {
      t.skip(skipOutsideCi('the real cfn-lint tests', problem));
      return;
    }
    const errors = await runCfnLint(fixture('lint-errors.yaml'), signal());
    assert.equal(errors.available, true);
    assert.deepEqual(
      errors.errors.map((e) => `${e.line}:${e.column} ${e.rule}`),
      ['6:7 E3002', '10:7 E3012'],
    );
    assert.match(errors.errors[0].message, /'BucketNam' was unexpected/);
    const warnings = await runCfnLint(fixture('named-iam.json'), signal());
    assert.deepEqual(warnings.errors, []);
    assert.deepEqual(
      warnings.warnings.map((w) => `${w.line}:${w.column} ${w.rule} ${w.message}`),
      ['6:5 W2001 Parameter Ports not used.'],
    );
    assert.deepEqual(await runCfnLint(fixture('s3-sqs-lambda.yaml'), signal()), { available: true, errors: [], warnings: [] });
    // A local nested TemplateURL is packaged by Stackwatch, so cfn-lint's "needs package" warning is not shown.
    const nested = await runCfnLint(fixture('../../../sample/scenarios/nested.yaml'), signal());
    assert.deepEqual(
      nested.warnings.map((w) => w.rule),
      [],
    );
  });
});
