/**
 * A cheap "did anything change since the last build?" scan: walks the folder by mtime, skipping
 * dependency and VCS folders, and stops at the first newer file or after a bounded number of
 * entries (a huge tree is then assumed changed, which only costs a build).
 */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { IGNORED_FOLDERS } from './relevance';

export const MAX_SCANNED_ENTRIES = 5_000;

export interface ChangeScan {
  changed: boolean;
  /** The first newer file found, for the log. */
  file?: string;
  /** True when the scan gave up at the bound and assumed a change. */
  truncated: boolean;
}

export async function changedSince(root: string, sinceMs: number, maxEntries = MAX_SCANNED_ENTRIES): Promise<ChangeScan> {
  let seen = 0;
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // Vanished or unreadable: not an input we can build from.
    }
    for (const entry of entries) {
      if (++seen > maxEntries) return { changed: true, truncated: true };
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!IGNORED_FOLDERS.has(entry.name)) pending.push(full);
        continue;
      }
      if (!entry.isFile()) continue;
      try {
        if ((await stat(full)).mtimeMs > sinceMs) return { changed: true, file: full, truncated: false };
      } catch {
        // Deleted while scanning.
      }
    }
  }
  return { changed: false, truncated: false };
}
