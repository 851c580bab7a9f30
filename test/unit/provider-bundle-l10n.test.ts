/**
 * A provider's bundle carries its own copy of `@vscode/l10n`, so the translations the extension
 * was given at activation do not reach it by themselves: the registry hands them over when it
 * loads the bundle (`ProviderRuntime.useTranslations`). Built here as the build builds it, the
 * bundle speaks English until it is handed translations, and the handed language after.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build, type Plugin } from 'esbuild';
import type { ProviderRuntime } from '../../src/providers/descriptor';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import { useTranslations } from '../../src/shared/translations';

const ROOT = join(__dirname, '../..');
const noVscode: Plugin = {
  name: 'no-vscode',
  setup(builder) {
    builder.onResolve({ filter: /^vscode$/ }, () => ({ path: 'vscode', namespace: 'no-vscode' }));
    builder.onLoad({ filter: /.*/, namespace: 'no-vscode' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};
const CANCELLED = { '{0}: cancelled before it was sent.': '{0}: abgebrochen, bevor es gesendet wurde.' };

describe("a provider bundle's strings", () => {
  const work = mkdtempSync(join(tmpdir(), 'stackwatch-bundle-l10n-'));
  let runtime: ProviderRuntime<AwsStackSettings>;

  before(async () => {
    const outfile = join(work, 'aws.js');
    await build({
      entryPoints: [join(ROOT, 'src/providers/aws/runtime.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // Only the configure flow uses VS Code's API, and not when the bundle loads.
      plugins: [noVscode],
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, loaded as VS Code loads it
    runtime = (require(outfile) as { runtime: ProviderRuntime<AwsStackSettings> }).runtime;
  });

  after(() => {
    useTranslations(undefined);
    rmSync(work, { recursive: true, force: true });
  });

  async function cancelledRead(): Promise<string> {
    const settings: AwsStackSettings = {
      provider: 'aws',
      autoExecute: false,
      templatePath: join(work, 'template.yaml'),
      stackName: 'orders-api',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      parameters: {},
      capabilities: [],
      cfnLint: 'off',
    };
    const steps = await runtime.steps(settings, { workspaceFolder: work, displayPath: (path) => path, info: () => undefined });
    const read = steps.provider.describeTarget({ target: { provider: 'aws', name: 'orders-api', region: 'us-east-1' }, signal: AbortSignal.abort() });
    return read.then(
      () => assert.fail('a read with an aborted signal was sent'),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
  }

  it("does not hear the extension's translations by itself", async () => {
    useTranslations(CANCELLED);
    assert.equal(await cancelledRead(), 'DescribeStacks: cancelled before it was sent.');
  });

  it('speaks the language it is handed', async () => {
    runtime.useTranslations(CANCELLED);
    assert.equal(await cancelledRead(), 'DescribeStacks: abgebrochen, bevor es gesendet wurde.');
    runtime.useTranslations(undefined);
    assert.equal(await cancelledRead(), 'DescribeStacks: cancelled before it was sent.');
  });
});
