/**
 * Reads a file the user pointed a setting at. Every failure names the file and the setting,
 * since changing the setting is usually the fix. The text returned is exactly the bytes on
 * disk decoded as UTF-8: anything else is refused rather than repaired, so what is checked
 * and deployed is what the editor shows.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { excerpt } from './excerpt';
import { InputError } from '../../../input/inputError';
import { decodeUtf8, describeEncodingProblem } from './textEncoding';
import { checkWorkspaceBoundary, isSymlink } from '../../../input/workspaceBoundary';

export interface SourceFileRef {
  absPath: string;
  displayFile: string;
  /** The setting that names the file, e.g. 'stackwatch.templatePath'. */
  setting: string;
  /** "template", "parameters file": how messages refer to it. */
  what: string;
  /** Symlinks may not lead outside this folder; without it there is no boundary. */
  workspaceFolder?: string;
}

const LIKELY_FILES = /\.(ya?ml|json|template)$/i;
/** Far above CloudFormation's 1 MB template limit; past it, parsing alone would stall the host. */
export const MAX_SOURCE_FILE_BYTES = 16 * 1_048_576;

export async function readSourceFile(ref: SourceFileRef): Promise<string> {
  const { absPath, displayFile, setting, what } = ref;
  const fail = (reason: string, hint: string, cause?: unknown, extra: { line?: number; column?: number } = {}): never => {
    throw new InputError(reason, { file: absPath, displayFile, setting, hint, cause, ...extra });
  };

  const boundary = await checkWorkspaceBoundary(absPath, ref.workspaceFolder);
  if (!boundary.ok) {
    if (boundary.kind === 'loop') fail(`The ${what} is a symlink that loops back on itself (${excerpt(absPath)}).`, `Point ${setting} at a real file.`);
    if (boundary.kind === 'dangling') {
      fail(`The ${what} is a symlink to ${excerpt(boundary.target)}, which does not exist.`, `Fix the symlink, or set ${setting} to the real file.`);
    }
    if (boundary.kind === 'outside') {
      const how = (await isSymlink(absPath)) ? 'is a symlink to' : 'is in a symlinked folder and really is';
      fail(
        `The ${what} ${how} ${excerpt(boundary.realPath)}, outside the workspace folder ${excerpt(boundary.workspaceFolder)}. Stackwatch follows symlinks only inside the workspace, so that what it deploys is a file you can see there.`,
        `Copy the file into the workspace, or set ${setting} to its real path if you mean to deploy it from there.`,
      );
    }
  }

  let size = 0;
  let isDirectory = false;
  try {
    const info = await stat(absPath);
    isDirectory = info.isDirectory();
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      fail(`The ${what} does not exist (${excerpt(absPath)}).`, `Set ${setting} to the path of your ${what}.`, error);
    }
    fail(
      `Cannot read the ${what} (${excerpt(absPath)}): ${excerpt((error as Error).message)}`,
      `Check the file's permissions, or set ${setting} to another file.`,
      error,
    );
  }
  if (isDirectory) {
    const candidates = (await readdir(absPath).catch(() => [] as string[])).filter((name) => LIKELY_FILES.test(name)).sort();
    const hint =
      candidates.length > 0
        ? `Set ${setting} to a file in it, e.g. ${excerpt(join(absPath, candidates[0]))}.`
        : `Set ${setting} to the ${what} file, not its folder.`;
    fail(`The ${what} path is a folder, not a file (${excerpt(absPath)}).`, hint);
  }
  if (size > MAX_SOURCE_FILE_BYTES) {
    fail(
      `The ${what} is ${size.toLocaleString('en-US')} bytes, too large to be a ${what} (CloudFormation templates are at most 1 MB).`,
      `Set ${setting} to the right file.`,
    );
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (error) {
    return fail(
      `Cannot read the ${what} (${excerpt(absPath)}): ${excerpt((error as Error).message)}`,
      `Check the file's permissions, or set ${setting} to another file.`,
      error,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const { problem } = decoded;
    const at = problem.kind === 'invalid-utf8' || problem.kind === 'nul' ? { line: problem.line, column: problem.column } : { line: 1 };
    return fail(describeEncodingProblem(problem, what), 'In VS Code: click the encoding in the status bar, "Save with Encoding", then "UTF-8".', undefined, at);
  }
  const text = decoded.text;
  if (text.replace(/^\uFEFF/, '').trim().length === 0) {
    fail(`The ${what} is empty.`, `Write the ${what}, or set ${setting} to a file that has content.`);
  }
  return text;
}
