/**
 * Reads a file the user pointed a setting at. Every failure names the file and the setting,
 * since changing the setting is usually the fix. The text returned is exactly the bytes on
 * disk decoded as UTF-8: anything else is refused rather than repaired, so what is checked
 * and deployed is what the editor shows.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { excerpt } from './excerpt';
import { InputError } from '../../../input/inputError';
import { decodeUtf8, describeEncodingProblem, type SourceKind } from './textEncoding';
import { checkWorkspaceBoundary, isSymlink } from '../../../input/workspaceBoundary';

export interface SourceFileRef {
  absPath: string;
  displayFile: string;
  /** The setting that names the file, e.g. 'stackwatch.templatePath'. */
  setting: string;
  /** Which file it is, for the messages. */
  what: SourceKind;
  /** Symlinks may not lead outside this folder; without it there is no boundary. */
  workspaceFolder?: string;
}

const LIKELY_FILES = /\.(ya?ml|json|template)$/i;
/** Far above CloudFormation's 1 MB template limit; past it, parsing alone would stall the host. */
export const MAX_SOURCE_FILE_BYTES = 16 * 1_048_576;

/** Each message, written out for each kind of file so translators get whole sentences. */
function messages(kind: SourceKind) {
  const template = kind === 'template';
  return {
    loop: (path: string) =>
      template
        ? l10n.t('The template is a symlink that loops back on itself ({0}).', path)
        : l10n.t('The parameters file is a symlink that loops back on itself ({0}).', path),
    dangling: (target: string) =>
      template
        ? l10n.t('The template is a symlink to {0}, which does not exist.', target)
        : l10n.t('The parameters file is a symlink to {0}, which does not exist.', target),
    outsideLink: (realPath: string, folder: string) =>
      template
        ? l10n.t(
            'The template is a symlink to {0}, outside the workspace folder {1}. Stackwatch follows symlinks only inside the workspace, so that what it deploys is a file you can see there.',
            realPath,
            folder,
          )
        : l10n.t(
            'The parameters file is a symlink to {0}, outside the workspace folder {1}. Stackwatch follows symlinks only inside the workspace, so that what it deploys is a file you can see there.',
            realPath,
            folder,
          ),
    outsideFolder: (realPath: string, folder: string) =>
      template
        ? l10n.t(
            'The template is in a symlinked folder and really is {0}, outside the workspace folder {1}. Stackwatch follows symlinks only inside the workspace, so that what it deploys is a file you can see there.',
            realPath,
            folder,
          )
        : l10n.t(
            'The parameters file is in a symlinked folder and really is {0}, outside the workspace folder {1}. Stackwatch follows symlinks only inside the workspace, so that what it deploys is a file you can see there.',
            realPath,
            folder,
          ),
    missing: (path: string) => (template ? l10n.t('The template does not exist ({0}).', path) : l10n.t('The parameters file does not exist ({0}).', path)),
    missingHint: (setting: string) =>
      template ? l10n.t('Set {0} to the path of your template.', setting) : l10n.t('Set {0} to the path of your parameters file.', setting),
    unreadable: (path: string, reason: string) =>
      template ? l10n.t('Cannot read the template ({0}): {1}', path, reason) : l10n.t('Cannot read the parameters file ({0}): {1}', path, reason),
    folder: (path: string) =>
      template ? l10n.t('The template path is a folder, not a file ({0}).', path) : l10n.t('The parameters file path is a folder, not a file ({0}).', path),
    folderHint: (setting: string) =>
      template ? l10n.t('Set {0} to the template file, not its folder.', setting) : l10n.t('Set {0} to the parameters file, not its folder.', setting),
    tooLarge: (size: string) =>
      template
        ? l10n.t('The template is {0} bytes, too large to be a template (CloudFormation templates are at most 1 MB).', size)
        : l10n.t('The parameters file is {0} bytes, too large to be a parameters file (CloudFormation templates are at most 1 MB).', size),
    empty: () => (template ? l10n.t('The template is empty.') : l10n.t('The parameters file is empty.')),
    emptyHint: (setting: string) =>
      template
        ? l10n.t('Write the template, or set {0} to a file that has content.', setting)
        : l10n.t('Write the parameters file, or set {0} to a file that has content.', setting),
  };
}

export async function readSourceFile(ref: SourceFileRef): Promise<string> {
  const { absPath, displayFile, setting, what } = ref;
  const say = messages(what);
  const fail = (reason: string, hint: string, cause?: unknown, extra: { line?: number; column?: number } = {}): never => {
    throw new InputError(reason, { file: absPath, displayFile, setting, hint, cause, ...extra });
  };

  const boundary = await checkWorkspaceBoundary(absPath, ref.workspaceFolder);
  if (!boundary.ok) {
    if (boundary.kind === 'loop') fail(say.loop(excerpt(absPath)), l10n.t('Point {0} at a real file.', setting));
    if (boundary.kind === 'dangling') {
      fail(say.dangling(excerpt(boundary.target)), l10n.t('Fix the symlink, or set {0} to the real file.', setting));
    }
    if (boundary.kind === 'outside') {
      const outside = (await isSymlink(absPath)) ? say.outsideLink : say.outsideFolder;
      fail(
        outside(excerpt(boundary.realPath), excerpt(boundary.workspaceFolder)),
        l10n.t('Copy the file into the workspace, or set {0} to its real path if you mean to deploy it from there.', setting),
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
      fail(say.missing(excerpt(absPath)), say.missingHint(setting), error);
    }
    fail(
      say.unreadable(excerpt(absPath), excerpt((error as Error).message)),
      l10n.t("Check the file's permissions, or set {0} to another file.", setting),
      error,
    );
  }
  if (isDirectory) {
    const candidates = (await readdir(absPath).catch(() => [] as string[])).filter((name) => LIKELY_FILES.test(name)).sort();
    const hint = candidates.length > 0 ? l10n.t('Set {0} to a file in it, e.g. {1}.', setting, excerpt(join(absPath, candidates[0]))) : say.folderHint(setting);
    fail(say.folder(excerpt(absPath)), hint);
  }
  if (size > MAX_SOURCE_FILE_BYTES) {
    fail(say.tooLarge(size.toLocaleString('en-US')), l10n.t('Set {0} to the right file.', setting));
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (error) {
    return fail(
      say.unreadable(excerpt(absPath), excerpt((error as Error).message)),
      l10n.t("Check the file's permissions, or set {0} to another file.", setting),
      error,
    );
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const { problem } = decoded;
    const at = problem.kind === 'invalid-utf8' || problem.kind === 'nul' ? { line: problem.line, column: problem.column } : { line: 1 };
    return fail(
      describeEncodingProblem(problem, what),
      l10n.t('In VS Code: click the encoding in the status bar, "Save with Encoding", then "UTF-8".'),
      undefined,
      at,
    );
  }
  const text = decoded.text;
  if (text.replace(/^\uFEFF/, '').trim().length === 0) {
    fail(say.empty(), say.emptyHint(setting));
  }
  return text;
}
