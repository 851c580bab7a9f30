/**
 * Input errors (templates, blueprints, parameters files, settings) and preflight refusals are
 * thrown from code bundled on its own, with its own copies of these classes. The core classifies
 * them by their brands, so another copy's error is still bad input, and a look-alike is not.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import { InputError, isInputError } from '../../src/input/inputError';
import { isSettingsError, SettingsError } from '../../src/config/settingsError';
import { isPreflightError, PreflightError } from '../../src/preflight/preflightError';

/** A module as a second bundle would hold it: a separate copy, built the way dist/providers/*.js are. */
function secondCopy<T>(folder: string, entry: string, name: string): T {
  const outfile = join(folder, `${name}.cjs`);
  buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
  return createRequire(__filename)(outfile) as T;
}

describe('input and preflight errors across bundles', () => {
  const folder = mkdtempSync(join(tmpdir(), 'stackwatch-input-brand-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const input = secondCopy<typeof import('../../src/input/inputError')>(folder, 'src/input/inputError.ts', 'inputError');
  const settings = secondCopy<typeof import('../../src/config/settingsError')>(folder, 'src/config/settingsError.ts', 'settingsError');
  const preflight = secondCopy<typeof import('../../src/preflight/preflightError')>(folder, 'src/preflight/preflightError.ts', 'preflightError');

  it('are separate classes, as in two bundles', () => {
    assert.notEqual(input.InputError, InputError);
    assert.notEqual(settings.SettingsError, SettingsError);
    assert.notEqual(preflight.PreflightError, PreflightError);
  });

  it("another copy's input error is bad input to the core, with its place to fix", () => {
    const thrown = new input.InputError('Unresolved reference Nope', { file: '/w/template.yaml', line: 4, column: 7, hint: 'Define Nope.' });
    assert.equal(isInputError(thrown), true);
    assert.deepEqual(toErrorInfo(thrown), {
      code: 'Template',
      message: '/w/template.yaml:4:7: Unresolved reference Nope',
      hint: 'Define Nope.',
      retryable: false,
      file: '/w/template.yaml',
      line: 4,
      column: 7,
    });
  });

  it("another copy's settings error is a settings error and bad input, under its own name", () => {
    const thrown = new settings.SettingsError('The region is missing.', 'stackwatch.region', 'missing');
    assert.equal(thrown.name, 'SettingsError');
    assert.equal(isSettingsError(thrown), true);
    assert.equal(isInputError(thrown), true);
    assert.deepEqual(toErrorInfo(thrown), { code: 'Template', message: 'The region is missing.', retryable: false, setting: 'stackwatch.region' });
    assert.equal(isSettingsError(new InputError('a template problem')), false, 'other bad input is not a settings error');
  });

  it("another copy's preflight error keeps the Preflight code", () => {
    const thrown = new preflight.PreflightError('The build task failed.', 'stackwatch.buildTask');
    assert.equal(isPreflightError(thrown), true);
    assert.deepEqual(toErrorInfo(thrown), { code: 'Preflight', message: 'The build task failed.', retryable: false, setting: 'stackwatch.buildTask' });
  });

  it('are not claimed by other errors, whatever their name', () => {
    for (const name of ['InputError', 'TemplateError', 'SettingsError', 'PreflightError']) {
      const lookalike = Object.assign(new Error('looks like bad input'), { name, file: '/w/template.yaml' });
      assert.equal(isInputError(lookalike), false, name);
      assert.equal(isSettingsError(lookalike), false, name);
      assert.equal(isPreflightError(lookalike), false, name);
      assert.equal(toErrorInfo(lookalike).code, 'Internal', name);
    }
    assert.equal(isInputError(undefined), false);
    assert.equal(isPreflightError('PreflightError'), false);
  });
});
