/**
 * Which cfn-lint runs, and its version, for the result cache's key. `cfn-lint --version` costs
 * about a second (Python starts), so the answer is remembered per executable path and the file's
 * modification time and size (an upgrade in place rewrites it). A pyenv or pipx shim is not
 * rewritten when the package under it is upgraded: its answer is trusted for MAX_VERSION_AGE_MS.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ProviderMemory } from '../../descriptor';

export const VERSIONS_KEY = 'stackwatch.cfnLint.versions';
export const MAX_STORED_VERSIONS = 8;
export const MAX_VERSION_AGE_MS = 24 * 60 * 60 * 1000;
const VERSION_TIMEOUT_MS = 15_000;

interface StoredVersion {
  /** Path, modification time and size of the executable. */
  id: string;
  version: string;
  at: number;
}

/** The executable `name` runs (searched on PATH like a shell would), or undefined when there is none. */
export async function resolveExecutable(name: string, path: string = process.env.PATH ?? ''): Promise<string | undefined> {
  const runnable = async (candidate: string): Promise<boolean> =>
    access(candidate, process.platform === 'win32' ? constants.F_OK : constants.X_OK).then(
      () => true,
      () => false,
    );
  if (isAbsolute(name) || name.includes('/') || name.includes('\\')) return (await runnable(name)) ? name : undefined;
  const suffixes = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of path.split(delimiter).filter((part) => part !== '')) {
    for (const suffix of suffixes) {
      const candidate = join(dir, name + suffix);
      if (await runnable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Runs `executable --version`; undefined when it does not answer with a version. */
export function readVersion(executable: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(executable, ['--version'], { signal, timeout: VERSION_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout) => {
      const version = stdout.trim();
      resolve(error || version === '' ? undefined : version);
    });
  });
}

const sharedVersions = new Map<string, StoredVersion>();

export class CfnLintVersions {
  constructor(
    private readonly memory?: ProviderMemory,
    private readonly read: typeof readVersion = readVersion,
    private readonly inMemory: Map<string, StoredVersion> = sharedVersions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The version of the cfn-lint at `executable` (an absolute path); undefined when it cannot be told. */
  async of(executable: string, signal: AbortSignal): Promise<string | undefined> {
    const id = await identify(executable);
    if (id === undefined) return undefined;
    const fresh = (entry: StoredVersion | undefined) => (entry && entry.id === id && this.now() - entry.at < MAX_VERSION_AGE_MS ? entry : undefined);
    const known = fresh(this.inMemory.get(id)) ?? fresh(this.stored().find((entry) => entry.id === id));
    if (known) {
      this.inMemory.set(id, known);
      return known.version;
    }
    const version = await this.read(executable, signal);
    if (version === undefined) return undefined;
    const entry = { id, version, at: this.now() };
    this.inMemory.set(id, entry);
    if (this.memory) {
      const kept = this.stored().filter((stored) => stored.id !== id);
      await this.memory.update(VERSIONS_KEY, [entry, ...kept].slice(0, MAX_STORED_VERSIONS));
    }
    return version;
  }

  private stored(): StoredVersion[] {
    const raw = this.memory?.get<unknown>(VERSIONS_KEY);
    return Array.isArray(raw) ? raw.filter(isStoredVersion) : [];
  }
}

async function identify(executable: string): Promise<string | undefined> {
  try {
    const info = await stat(executable);
    return `${executable}\n${info.mtimeMs}\n${info.size}`;
  } catch {
    return undefined;
  }
}

function isStoredVersion(value: unknown): value is StoredVersion {
  const entry = value as Partial<StoredVersion> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.version === 'string' && typeof entry.at === 'number';
}
