/**
 * cfn-lint's result cache: every input changes the key (and a secret's value never enters it);
 * the stores stay within their bounds; the version lookup is asked once per executable; and the
 * check answers an unchanged template from the cache without starting cfn-lint.
 */
import { strict as assert } from 'node:assert';
import { chmod, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProviderMemory } from '../../src/providers/descriptor';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { LintResult, runCfnLint } from '../../src/providers/aws/template/cfnLint';
import { CfnLintVersions, MAX_STORED_VERSIONS, VERSIONS_KEY, resolveExecutable } from '../../src/providers/aws/template/cfnLintVersion';
import {
  LintResultStore,
  MAX_MEMORY_RESULTS,
  MAX_STORED_RESULTS,
  MAX_STORED_RESULT_CHARS,
  RESULTS_KEY,
  lintCacheKey,
  type LintKeyInputs,
} from '../../src/providers/aws/template/lintCache';
import { createLintCheck } from '../../src/providers/aws/template/lintCheck';
import { templateError } from '../support/templateErrors';

/** VS Code's Memento, as a Map that round-trips JSON like the real storage. */
class MemoryMemento implements ProviderMemory {
  readonly data = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.data.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
}

const BASE: LintKeyInputs = {
  templateText: 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n',
  parameters: [{ key: 'Env', value: 'prod' }],
  version: 'cfn-lint 1.51.0',
  configs: [
    { path: '/home/u', text: undefined },
    { path: '/ws/.cfnlintrc', text: 'ignore_checks: [W2001]\n' },
  ],
  nested: [{ path: '/ws/child.yaml', text: 'Parameters: {}\n' }],
  fromStdin: false,
};

const clean = (warnings = 0): LintResult => ({
  available: true,
  errors: [],
  warnings: Array.from({ length: warnings }, (_, i) => ({ rule: 'W2001', message: `unused ${i}`, line: i + 1, column: 1 })),
});

describe('lintCacheKey', () => {
  const key = lintCacheKey(BASE);
  const variants: [string, LintKeyInputs][] = [
    ['the template text', { ...BASE, templateText: `${BASE.templateText} ` }],
    ['a parameter value', { ...BASE, parameters: [{ key: 'Env', value: 'dev' }] }],
    ['a parameter name', { ...BASE, parameters: [{ key: 'Stage', value: 'prod' }] }],
    ['a parameter kept from before', { ...BASE, parameters: [{ key: 'Env', value: 'prod', usePrevious: true }] }],
    ["cfn-lint's version", { ...BASE, version: 'cfn-lint 1.52.0' }],
    ['the project .cfnlintrc', { ...BASE, configs: [BASE.configs[0], { path: '/ws/.cfnlintrc', text: 'ignore_checks: []\n' }] }],
    ['a home .cfnlintrc appearing', { ...BASE, configs: [{ path: '/home/u/.cfnlintrc', text: 'x: 1\n' }, BASE.configs[1]] }],
    ['the config file chosen (.yaml)', { ...BASE, configs: [BASE.configs[0], { path: '/ws/.cfnlintrc.yaml', text: BASE.configs[1].text }] }],
    ['a nested template', { ...BASE, nested: [{ path: '/ws/child.yaml', text: 'Parameters: {A: {Type: String}}\n' }] }],
    ['a nested template missing', { ...BASE, nested: [{ path: '/ws/child.yaml', text: undefined }] }],
    ['stdin instead of the file', { ...BASE, fromStdin: true }],
  ];
  for (const [what, inputs] of variants) {
    it(`changes with ${what}`, () => assert.notEqual(lintCacheKey(inputs), key));
  }

  it('is stable: the same inputs, parameters in any order, give the same key', () => {
    const two = [
      { key: 'A', value: '1' },
      { key: 'B', value: '2' },
    ];
    assert.equal(lintCacheKey({ ...BASE, parameters: two }), lintCacheKey({ ...BASE, parameters: [...two].reverse() }));
    assert.equal(lintCacheKey({ ...BASE }), key);
    assert.match(key, /^[0-9a-f]{64}$/);
  });

  it('counts a secret parameter by its name only: its value never enters the key', () => {
    const secret = (value: string) => lintCacheKey({ ...BASE, parameters: [{ key: 'DbPassword', value, secret: true }] });
    assert.equal(secret('correct-horse'), secret('battery-staple'));
    assert.notEqual(secret('x'), lintCacheKey({ ...BASE, parameters: [{ key: 'DbPassword', value: 'x' }] }));
  });
});

describe('LintResultStore', () => {
  it('keeps at most MAX_MEMORY_RESULTS in memory, dropping the least recently used', async () => {
    const store = new LintResultStore(undefined, new Map());
    await store.put('k0', clean());
    for (let i = 1; i <= MAX_MEMORY_RESULTS; i++) {
      if (i === MAX_MEMORY_RESULTS) assert.ok(store.get('k0'), 'k0 is used again just before the limit');
      await store.put(`k${i}`, clean());
    }
    assert.ok(store.get('k0'), 'recently used: kept');
    assert.equal(store.get('k1'), undefined, 'least recently used: dropped');
  });

  it('stores at most MAX_STORED_RESULTS, newest first, and reads them back in a new window', async () => {
    const memento = new MemoryMemento();
    const store = new LintResultStore(memento, new Map());
    for (let i = 0; i < MAX_STORED_RESULTS + 5; i++) await store.put(`k${i}`, clean(1));
    const stored = memento.get<{ key: string }[]>(RESULTS_KEY) ?? [];
    assert.equal(stored.length, MAX_STORED_RESULTS);
    assert.equal(stored[0].key, `k${MAX_STORED_RESULTS + 4}`);
    const nextWindow = new LintResultStore(memento, new Map());
    assert.deepEqual(nextWindow.get(`k${MAX_STORED_RESULTS + 4}`), clean(1));
    assert.equal(nextWindow.get('k0'), undefined);
  });

  it('stores no result too big for it, nor one that says nothing about the template; ignores damaged entries', async () => {
    const memento = new MemoryMemento();
    const store = new LintResultStore(memento, new Map());
    const big = clean(Math.ceil(MAX_STORED_RESULT_CHARS / 40));
    await store.put('big', big);
    assert.equal(memento.get(RESULTS_KEY), undefined);
    assert.deepEqual(store.get('big'), big, 'kept in memory');
    await store.put('broken', { available: true, errors: [], warnings: [], note: 'cfn-lint failed' });
    await store.put('timeout', { available: true, errors: [], warnings: [], note: 'slow', timedOut: true });
    await store.put('missing', { available: false, errors: [], warnings: [] });
    assert.equal(store.get('broken') ?? store.get('timeout') ?? store.get('missing'), undefined);
    await memento.update(RESULTS_KEY, [{ key: 'bad', result: { available: true, errors: 'no' } }, 'junk']);
    assert.equal(new LintResultStore(memento, new Map()).get('bad'), undefined);
  });
});

describe('CfnLintVersions and the cached check', () => {
  let dir: string;
  let executable: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-lintcache-'));
    executable = join(dir, 'cfn-lint');
    await writeFile(executable, '#!/bin/sh\necho "cfn-lint 9.9.9"\n');
    await chmod(executable, 0o755);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('asks an executable its version once per path and modification time, across windows, within its bounds', async () => {
    const memento = new MemoryMemento();
    let asked = 0;
    const read = async () => `cfn-lint ${++asked}`;
    const versions = new CfnLintVersions(memento, read, new Map());
    const signal = new AbortController().signal;
    assert.equal(await versions.of(executable, signal), 'cfn-lint 1');
    assert.equal(await new CfnLintVersions(memento, read, new Map()).of(executable, signal), 'cfn-lint 1', 'a new window reads the stored answer');
    assert.equal(asked, 1);
    await utimes(executable, new Date(), new Date(Date.now() + 5_000));
    assert.equal(await versions.of(executable, signal), 'cfn-lint 2', 'a rewritten executable is asked again');
    assert.equal(await versions.of(join(dir, 'nothing-here'), signal), undefined);
    for (let i = 0; i < MAX_STORED_VERSIONS + 3; i++) {
      const other = join(dir, `lint-${i}`);
      await writeFile(other, '');
      await versions.of(other, signal);
    }
    assert.equal((memento.get<unknown[]>(VERSIONS_KEY) ?? []).length, MAX_STORED_VERSIONS);
  });

  it('resolves a name on PATH like a shell, and says when there is none', async () => {
    assert.equal(await resolveExecutable('cfn-lint', `/no/such/dir:${dir}`), executable);
    assert.equal(await resolveExecutable('cfn-lint', '/no/such/dir'), undefined);
  });

  it('an unchanged template is answered from the cache without running cfn-lint; an edit runs it again', async () => {
    const template = join(dir, 'template.yaml');
    const body = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n';
    await writeFile(template, body);
    const settings: AwsStackSettings = {
      provider: 'aws',
      templatePath: template,
      stackName: 's',
      region: 'us-east-1',
      parameters: {},
      capabilities: [],
      autoExecute: false,
      cfnLint: 'auto',
    };
    const runs: string[] = [];
    const lint: typeof runCfnLint = async (path, _signal, options) => {
      runs.push(options?.text === undefined ? path : 'stdin');
      return clean(2);
    };
    const memento = new MemoryMemento();
    const check = () =>
      createLintCheck(settings, {
        lint,
        executable,
        memory: memento,
        home: dir,
        versions: new CfnLintVersions(memento, async () => 'cfn-lint 9.9.9', new Map()),
        results: new LintResultStore(memento, new Map()),
      });
    const input = (text: string) => ({
      deploymentId: 'd',
      round: 0,
      template: { path: 'template.yaml', body: text, format: 'yaml' as const, sizeBytes: text.length },
      parameters: [],
    });
    const signal = new AbortController().signal;
    assert.deepEqual(await check()(input(body), signal), {
      outcome: 'passed',
      warnings: ['template.yaml:1: W2001 unused 0', 'template.yaml:2: W2001 unused 1'],
      note: '2 warnings',
    });
    assert.equal((await check()(input(body), signal)).note, '2 warnings, from cache', 'a new window hits the stored result');
    assert.equal(runs.length, 1);
    await writeFile(join(dir, '.cfnlintrc'), 'ignore_checks: [W2001]\n');
    await check()(input(body), signal);
    assert.equal(runs.length, 2, 'a new config runs cfn-lint again');
    const edited = `${body}  Topic:\n    Type: AWS::SNS::Topic\n`;
    await check()(input(edited), signal);
    assert.deepEqual(runs.slice(2), ['stdin'], 'text that differs from the file (edited since staging) goes on stdin');
    assert.equal(await readFile(template, 'utf8'), body);
  });

  it('not installed: no run, never a block; an error blocks at its line', async () => {
    const settings = { templatePath: join(dir, 'template.yaml'), cfnLint: 'auto' } as AwsStackSettings;
    const missing = createLintCheck(settings, { executable: join(dir, 'no-cfn-lint') });
    const body = await readFile(join(dir, 'template.yaml'), 'utf8');
    const input = { deploymentId: 'd', round: 0, template: { path: 'template.yaml', body, format: 'yaml' as const, sizeBytes: body.length }, parameters: [] };
    assert.deepEqual(await missing(input, new AbortController().signal), { outcome: 'unavailable', warnings: [], note: 'not installed' });
    const failing = createLintCheck(settings, {
      executable,
      lint: async () => ({ available: true, errors: [{ rule: 'E3002', message: 'Bad property', line: 3, column: 5 }], warnings: [] }),
      versions: new CfnLintVersions(undefined, async () => 'cfn-lint 0', new Map()),
      results: new LintResultStore(undefined, new Map()),
    });
    const error = await templateError(failing(input, new AbortController().signal));
    assert.equal(error.line, 3);
    assert.equal(error.message, 'template.yaml:3:5: E3002 Bad property.');
  });
});
