/**
 * The blueprint folder as Infrastructure Manager will see it: which files go into the zip,
 * and the zip itself, byte-for-byte the same for the same files so a retried upload is the
 * same upload.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { scanVariables, type BlueprintVariable } from './blueprint';

/** Local state and caches: never part of a blueprint, and state files may hold secrets. */
const SKIPPED_DIRECTORIES = new Set(['.terraform', '.git']);
const SKIPPED_FILE = /\.tfstate(\..*)?$|^\.terraform\.tfstate\.lock\.info$/;

export interface BlueprintFile {
  /** Forward-slash path inside the blueprint. */
  path: string;
  absPath: string;
  size: number;
}

/** Every file to upload, sorted by path. Throws the fs error when the folder cannot be read. */
export async function listBlueprintFiles(folder: string): Promise<BlueprintFile[]> {
  const files: BlueprintFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const absPath = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(absPath);
      } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
        files.push({ path: relative(folder, absPath).split(sep).join('/'), absPath, size: (await stat(absPath)).size });
      }
    }
  };
  await walk(folder);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Terraform reads only the root module's own .tf files for its variables. */
export function rootTerraformFiles(files: readonly BlueprintFile[]): BlueprintFile[] {
  return files.filter((file) => !file.path.includes('/') && file.path.endsWith('.tf'));
}

export async function readVariables(files: readonly BlueprintFile[]): Promise<BlueprintVariable[]> {
  const variables: BlueprintVariable[] = [];
  for (const file of rootTerraformFiles(files)) variables.push(...scanVariables(await readFile(file.absPath, 'utf8'), file.absPath));
  return variables;
}

/**
 * A fixed timestamp: DOS time has no zone and fflate writes local time, so this is built from
 * local components to come out as 1980-01-01 00:00 everywhere.
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export async function zipBlueprint(files: readonly BlueprintFile[]): Promise<Uint8Array> {
  const entries: Zippable = {};
  for (const file of files) entries[file.path] = [await readFile(file.absPath), { mtime: FIXED_MTIME, level: 6 }];
  return zipSync(entries, { mtime: FIXED_MTIME });
}
