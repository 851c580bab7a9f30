/**
 * The blueprint folder as Infrastructure Manager will see it: which files go into the zip,
 * and the zip itself, byte-for-byte the same for the same files so a retried upload is the
 * same upload.
 *
 * Symlinks are followed and their targets zipped under the link's name, as long as they stay
 * inside the workspace: a file reached through a link outside it is one the user cannot see in
 * the workspace they reviewed. Nothing is dropped silently: a link out of the workspace, a
 * broken or looping link, or a socket or device stops staging with a message naming it.
 */
import * as l10n from '@vscode/l10n';
import { readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { isInside } from '../../input/workspaceBoundary';
import { scanVariables, type BlueprintVariable } from './blueprint';

/** Local state and caches: never part of a blueprint, and state files may hold secrets. */
const SKIPPED_DIRECTORIES = new Set(['.terraform', '.git']);
const SKIPPED_FILE = /\.tfstate(\..*)?$|^\.terraform\.tfstate\.lock\.info$/;

export interface BlueprintFile {
  /** Forward-slash path inside the blueprint. */
  path: string;
  /** Where it is read from: the path in the folder (a symlink's own path, not its target). */
  absPath: string;
  size: number;
}

export interface BlueprintListOptions {
  /** Symlinks may lead anywhere inside it; absent, only inside the blueprint folder. */
  workspaceFolder?: string;
}

export type BlueprintFileProblem =
  | { kind: 'outside'; file: string; target: string; realTarget: string; boundary: string; boundaryName: 'workspace' | 'blueprintFolder' }
  | { kind: 'dangling'; file: string; target: string }
  | { kind: 'loop'; file: string; target: string }
  | { kind: 'special'; file: string };

/** A file in the blueprint folder that cannot go into the zip, and must not be left out silently. */
export class BlueprintFileError extends Error {
  override readonly name = 'BlueprintFileError';
  constructor(
    readonly problem: BlueprintFileProblem,
    display: (absPath: string) => string = (p) => p,
  ) {
    super(describeProblem(problem, display));
  }

  get file(): string {
    return this.problem.file;
  }

  get hint(): string {
    switch (this.problem.kind) {
      case 'outside':
        return this.problem.boundaryName === 'workspace'
          ? l10n.t('Copy the file into the workspace, or point the symlink at a file inside it.')
          : l10n.t('Copy the file into the blueprint folder, or point the symlink at a file inside it.');
      case 'dangling':
        return l10n.t('Point the symlink at an existing file, or remove it.');
      case 'loop':
        return l10n.t('Remove the symlink, or point it at a folder that does not contain it.');
      case 'special':
        return l10n.t('Remove it from the blueprint folder: only files and folders can be uploaded.');
    }
  }
}

/** The message, with paths shown through `display` (workspace-relative in the extension). */
export function describeProblem(problem: BlueprintFileProblem, display: (absPath: string) => string): string {
  return l10n.t({
    message: '{0}: {1}',
    args: [display(problem.file), problemReason(problem, display)],
    comment: ['A file of the blueprint, then what is wrong with it.'],
  });
}

/** What is wrong with the file, without its name (for messages that put it in front). */
export function problemReason(problem: BlueprintFileProblem, display: (absPath: string) => string): string {
  switch (problem.kind) {
    case 'outside':
      return problem.boundaryName === 'workspace'
        ? l10n.t(
            'A symlink to {0}, which resolves to {1}, outside the workspace ({2}). Stackwatch uploads nothing from outside the workspace, so nothing was staged.',
            problem.target,
            problem.realTarget,
            display(problem.boundary),
          )
        : l10n.t(
            'A symlink to {0}, which resolves to {1}, outside the blueprint folder ({2}). Stackwatch uploads nothing from outside the blueprint folder, so nothing was staged.',
            problem.target,
            problem.realTarget,
            display(problem.boundary),
          );
    case 'dangling':
      return l10n.t('A symlink to {0}, which does not exist; the blueprint would silently lack it, so nothing was staged.', problem.target);
    case 'loop':
      return l10n.t('A symlink to {0}, which leads back into itself; nothing was staged.', problem.target);
    case 'special':
      return l10n.t('Neither a file nor a folder (a socket, pipe or device); it cannot go into the blueprint, so nothing was staged.');
  }
}

/** Every file to upload, sorted by path. Throws the fs error when the folder cannot be read, a BlueprintFileError for a file that cannot go in. */
export async function listBlueprintFiles(folder: string, options: BlueprintListOptions = {}): Promise<BlueprintFile[]> {
  const realFolder = await realpath(folder);
  const workspace = options.workspaceFolder ? await realpath(options.workspaceFolder).catch(() => resolve(options.workspaceFolder ?? folder)) : undefined;
  const boundary = workspace ?? realFolder;
  const boundaryName = workspace ? 'workspace' : 'blueprintFolder';
  const files: BlueprintFile[] = [];

  /** `realDir`: where `dir` really is; `realDirs`: the folders walked down to it, to catch a link back into one of them. */
  const walk = async (dir: string, realDir: string, realDirs: ReadonlySet<string>): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const absPath = join(dir, entry.name);
      const path = relative(folder, absPath).split(sep).join('/');
      let kind: 'file' | 'directory';
      let size = 0;
      let real = join(realDir, entry.name);
      if (entry.isSymbolicLink()) {
        const link = await followLink(absPath, boundary, realFolder, boundaryName);
        real = link.real;
        kind = link.kind;
        size = link.size;
      } else if (entry.isDirectory()) {
        kind = 'directory';
      } else if (entry.isFile()) {
        kind = 'file';
        size = (await stat(absPath)).size;
      } else {
        throw new BlueprintFileError({ kind: 'special', file: absPath });
      }
      if (kind === 'directory') {
        if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (realDirs.has(real)) throw new BlueprintFileError({ kind: 'loop', file: absPath, target: real });
        await walk(absPath, real, new Set([...realDirs, real]));
      } else if (!SKIPPED_FILE.test(entry.name)) {
        files.push({ path, absPath, size });
      }
    }
  };
  await walk(folder, realFolder, new Set([realFolder]));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Where a symlink leads, refused when that is outside the boundary, broken or a loop. */
async function followLink(
  absPath: string,
  boundary: string,
  realFolder: string,
  boundaryName: 'workspace' | 'blueprintFolder',
): Promise<{ real: string; kind: 'file' | 'directory'; size: number }> {
  const target = await readlink(absPath);
  let real: string;
  try {
    real = await realpath(absPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new BlueprintFileError({ kind: 'loop', file: absPath, target });
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new BlueprintFileError({ kind: 'dangling', file: absPath, target });
    throw error;
  }
  // Inside the blueprint folder is always fine, even when the folder itself is outside the workspace (the setting's explicit choice).
  if (!isInside(boundary, real) && !isInside(realFolder, real)) {
    throw new BlueprintFileError({ kind: 'outside', file: absPath, target, realTarget: real, boundary, boundaryName });
  }
  const info = await stat(real);
  if (info.isDirectory()) return { real, kind: 'directory', size: 0 };
  if (info.isFile()) return { real, kind: 'file', size: info.size };
  throw new BlueprintFileError({ kind: 'special', file: absPath });
}

/** Terraform reads only the root module's own .tf files for its variables. */
export function rootTerraformFiles(files: readonly BlueprintFile[]): BlueprintFile[] {
  return files.filter((file) => !file.path.includes('/') && file.path.endsWith('.tf'));
}

/** One file of the blueprint with the bytes read from it: what is checked is what is zipped. */
export interface BlueprintContent {
  path: string;
  absPath: string;
  bytes: Uint8Array;
}

/** Reads every file once; everything after (variables, zip, digest) works from these bytes. */
export async function readContents(files: readonly BlueprintFile[]): Promise<BlueprintContent[]> {
  const contents: BlueprintContent[] = [];
  for (const file of files) contents.push({ path: file.path, absPath: file.absPath, bytes: await readFile(file.absPath) });
  return contents;
}

/** The root module's .tf files among the contents, as text. */
export function rootTerraformTexts(contents: readonly BlueprintContent[]): { file: string; text: string }[] {
  return contents.filter((c) => !c.path.includes('/') && c.path.endsWith('.tf')).map((c) => ({ file: c.absPath, text: Buffer.from(c.bytes).toString('utf8') }));
}

export function variablesOf(contents: readonly BlueprintContent[]): BlueprintVariable[] {
  return rootTerraformTexts(contents).flatMap(({ file, text }) => scanVariables(text, file));
}

/**
 * A fixed timestamp: DOS time has no zone and fflate writes local time, so this is built from
 * local components to come out as 1980-01-01 00:00 everywhere.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export async function zipBlueprint(files: readonly BlueprintFile[]): Promise<Uint8Array> {
  return zipContents(await readContents(files));
}

export function zipContents(contents: readonly BlueprintContent[]): Uint8Array {
  const entries: Zippable = {};
  for (const content of contents) entries[content.path] = [content.bytes, { mtime: FIXED_MTIME, level: 6 }];
  return zipSync(entries, { mtime: FIXED_MTIME });
}
