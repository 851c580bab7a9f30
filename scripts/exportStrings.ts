/**
 * Writes l10n/bundle.l10n.json: every `l10n.t('…')` string of the extension, its provider bundles
 * and the monitor page, in English, as the file translators start from. test/unit/l10n.test.ts
 * fails when the file is not what the sources say.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_PATH, englishBundle } from './stringSources';

const ROOT = join(__dirname, '..');

async function main(): Promise<void> {
  const bundle = await englishBundle(ROOT);
  await writeFile(join(ROOT, BUNDLE_PATH), bundle);
  console.log(`${BUNDLE_PATH}: ${Object.keys(JSON.parse(bundle) as object).length} strings`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
