/**
 * Reads a file the user pointed a setting at. Every failure names the file and the setting,
 * since changing the setting is usually the fix.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TemplateError } from './templateError';

export interface SourceFileRef {
  absPath: string;
  displayFile: string;
  /** The setting that names the file, e.g. 'stackwatch.templatePath'. */
  setting: string;
  /** "template", "parameters file": how messages refer to it. */
  what: string;
}

const LIKELY_FILES = /\.(ya?ml|json|template)$/i;

export async function readSourceFile(ref: SourceFileRef): Promise<string> {
  const { absPath, displayFile, setting, what } = ref;
  const fail = (reason: string, hint: string, cause?: unknown): never => {
    throw new TemplateError(reason, { file: absPath, displayFile, setting, hint, cause });
  };

  let isDirectory = false;
  try {
    isDirectory = (await stat(absPath)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      fail(`The ${what} does not exist (${absPath}).`, `Set ${setting} to the path of your ${what}.`, error);
    }
    fail(`Cannot read the ${what} (${absPath}): ${(error as Error).message}`, `Check the file's permissions, or set ${setting} to another file.`, error);
  }
  if (isDirectory) {
    const candidates = (await readdir(absPath).catch(() => [] as string[])).filter((name) => LIKELY_FILES.test(name)).sort();
    const hint =
      candidates.length > 0
        ? `Set ${setting} to a file in it, e.g. ${join(absPath, candidates[0])}.`
        : `Set ${setting} to the ${what} file, not its folder.`;
    fail(`The ${what} path is a folder, not a file (${absPath}).`, hint);
  }

  let text: string;
  try {
    text = await readFile(absPath, 'utf8');
  } catch (error) {
    return fail(`Cannot read the ${what} (${absPath}): ${(error as Error).message}`, `Check the file's permissions, or set ${setting} to another file.`, error);
  }
  if (text.replace(/^\uFEFF/, '').trim().length === 0) {
    fail(`The ${what} is empty.`, `Write the ${what}, or set ${setting} to a file that has content.`);
  }
  return text;
}
