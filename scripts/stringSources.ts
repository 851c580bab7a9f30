/** The sources whose `l10n.t('…')` strings make up the English bundle, and the bundle they make. */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

export const BUNDLE_PATH = 'l10n/bundle.l10n.json';

/** Every TypeScript file of the extension and the monitor page that git knows about. */
export function stringSourceFiles(root: string): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'webview-ui/src'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('.ts'));
}

/** The bundle's text, keys sorted so a change to the sources shows as a small diff. */
export async function englishBundle(root: string): Promise<string> {
  const files = await Promise.all(
    stringSourceFiles(root).map(async (file) => ({ contents: await readFile(`${root}/${file}`, 'utf8'), extension: extname(file) })),
  );
  const strings = await getL10nJson(files);
  const sorted = Object.fromEntries(Object.entries(strings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
