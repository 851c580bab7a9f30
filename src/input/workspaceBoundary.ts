/**
 * Symlinks and the workspace folder. A template or parameters file reached through a symlink
 * is followed while it stays inside the workspace; one that leads outside is refused, because
 * what would be deployed is then a file the user cannot see in the workspace they reviewed.
 * A path the setting names outside the workspace directly is the user's explicit choice and
 * is left alone: only a symlink can silently take the file elsewhere.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

export type BoundaryVerdict =
  | { ok: true }
  | { ok: false; kind: 'outside'; realPath: string; workspaceFolder: string }
  | { ok: false; kind: 'dangling'; target: string }
  | { ok: false; kind: 'loop' };

export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Whether `absPath` may be read. Without a workspace folder (tools, tests) there is no
 * boundary, but a broken or looping symlink is still reported as what it is.
 */
export async function checkWorkspaceBoundary(absPath: string, workspaceFolder: string | undefined): Promise<BoundaryVerdict> {
  let realPath: string;
  try {
    realPath = await realpath(absPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { ok: false, kind: 'loop' };
    const link = await readlink(absPath).catch(() => undefined);
    if (link !== undefined && (code === 'ENOENT' || code === 'ENOTDIR')) return { ok: false, kind: 'dangling', target: link };
    // Anything else (a missing file, no permission) is for the reader to report.
    return { ok: true };
  }
  if (!workspaceFolder) return { ok: true };
  const folder = resolve(workspaceFolder);
  const realFolder = await realpath(folder).catch(() => folder);
  const named = resolve(absPath);
  const namedInside = isInside(folder, named) || isInside(realFolder, named);
  if (!namedInside || isInside(realFolder, realPath)) return { ok: true };
  return { ok: false, kind: 'outside', realPath, workspaceFolder: folder };
}

/** Whether the path itself is a symlink, for wording ("is a symlink to" vs "is inside a symlinked folder"). */
export async function isSymlink(absPath: string): Promise<boolean> {
  return (await lstat(absPath).catch(() => undefined))?.isSymbolicLink() ?? false;
}
