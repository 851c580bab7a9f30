/**
 * Each provider is its own bundle, with its own copy of the port's ProviderError class. An error a
 * provider bundle throws must still be a ProviderError to the core bundle that classifies it.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import { isProviderError, ProviderError } from '../../src/providers/provider';

/** The port as a second bundle would hold it: a separate copy of the module, built the way dist/providers/*.js are. */
function secondCopyOfThePort(folder: string): typeof import('../../src/providers/provider') {
  const outfile = join(folder, 'provider.cjs');
  buildSync({ entryPoints: ['src/providers/provider.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' });
  return createRequire(__filename)(outfile) as typeof import('../../src/providers/provider');
}

describe('ProviderError across bundles', () => {
  const folder = mkdtempSync(join(tmpdir(), 'stackwatch-brand-'));
  after(() => rmSync(folder, { recursive: true, force: true }));
  const other = secondCopyOfThePort(folder);

  it('is two classes, as in two bundles', () => {
    assert.notEqual(other.ProviderError, ProviderError);
  });

  it("is recognised by the core's checks when another copy threw it", () => {
    const thrown = new other.ProviderError('Throttling', 'Rate exceeded', { hint: 'wait', providerCode: 'Throttling' });
    assert.equal(isProviderError(thrown), true);
    assert.equal(thrown instanceof ProviderError, true);
    assert.deepEqual(toErrorInfo(thrown), { code: 'Throttling', message: 'Rate exceeded', hint: 'wait', retryable: true });
  });

  it('is recognised by the other copy when the core threw it', () => {
    assert.equal(other.isProviderError(new ProviderError('NotFound', 'gone')), true);
  });

  it('is not claimed by other errors, whatever their name', () => {
    const lookalike = Object.assign(new Error('Rate exceeded'), { name: 'ProviderError', code: 'Throttling', details: {} });
    assert.equal(isProviderError(lookalike), false);
    assert.equal(lookalike instanceof ProviderError, false);
    assert.equal(isProviderError(undefined), false);
    assert.equal(isProviderError('ProviderError'), false);
    assert.equal(toErrorInfo(lookalike).code, 'Internal');
  });
});
