/**
 * Candidate blueprint folders: folders of the workspace with .tf files directly in them (a
 * Terraform root module), nearest first. Node only, so the configure flow's tests use it as is.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';

/** Never a root module of ours: dependencies, Terraform's cache, build output, editor state. */
const SKIPPED = new Set(['node_modules', '.terraform', '.git', '.vscode', 'dist', 'out', 'cdk.out', '.aws-sam']);
const MAX_DEPTH = 5;
/** A bound on the walk, so a huge workspace answers quickly with what it found. */
const MAX_FOLDERS_VISITED = 2_000;

/** Workspace-relative folders ('.' for the workspace folder itself), with forward slashes. */
export async function terraformFolders(workspaceFolder: string): Promise<string[]> {
  const found: string[] = [];
  let visited = 0;
  let level = [workspaceFolder];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > MAX_FOLDERS_VISITED) return found;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // Unreadable: not a candidate.
      }
      if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) {
        found.push(path.relative(workspaceFolder, dir).split(path.sep).join('/') || '.');
      }
      // Symlinked folders are not followed: the blueprint scan refuses links leading outside anyway.
      for (const e of entries) if (e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith('.')) next.push(path.join(dir, e.name));
    }
    level = next.sort();
  }
  return found;
}
