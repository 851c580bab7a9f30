/**
 * cfn-lint's results, remembered by everything they depend on, so an unchanged template is never
 * linted twice: the key hashes the template's text, its parameters, cfn-lint's version, the config
 * files cfn-lint reads (.cfnlintrc, .cfnlintrc.yaml, .cfnlintrc.yml in the folder it runs from and
 * in the home folder: cfn-lint 1.x reads no others) and the local nested templates it opens (rule
 * E3043 compares their parameters). Kept in memory and, bounded, in the workspace's storage.
 */
import { createHash } from 'node:crypto';
import type { ProviderMemory } from '../../descriptor';
import type { ParameterValue } from '../../provider';
import { CFN_LINT_ARGS, type LintFinding, type LintResult } from './cfnLint';

/** A file that goes into the key; `text` undefined when it does not exist (its absence counts too). */
export interface KeyedFile {
  path: string;
  text: string | undefined;
}

export interface LintKeyInputs {
  templateText: string;
  parameters: readonly ParameterValue[];
  /** `cfn-lint --version`'s answer. */
  version: string;
  configs: readonly KeyedFile[];
  nested: readonly KeyedFile[];
  /** The text was given on stdin (cfn-lint then skips the rules that need its file). */
  fromStdin: boolean;
}

/**
 * The cache key: a SHA-256 over every input. A secret parameter counts by its name only: its value
 * must not be hashed into storage that outlives the deployment (a short password's hash is easily
 * reversed), and cfn-lint is never given parameter values anyway.
 */
export function lintCacheKey(inputs: LintKeyInputs): string {
  const parameters = [...inputs.parameters]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((p) => (p.secret ? [p.key, 'secret', p.usePrevious === true] : [p.key, p.value, p.usePrevious === true]));
  const files = (list: readonly KeyedFile[]) => list.map((file) => [file.path, file.text ?? null]);
  const canonical = JSON.stringify([
    'stackwatch-cfn-lint-1',
    CFN_LINT_ARGS,
    inputs.version,
    inputs.fromStdin,
    inputs.templateText,
    parameters,
    files(inputs.configs),
    files(inputs.nested),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Results kept in memory, shared by every deployment of the window. */
export const MAX_MEMORY_RESULTS = 64;
/** Results kept in the workspace's storage, newest first. */
export const MAX_STORED_RESULTS = 32;
/** A result with more findings than fit here is not stored (it is kept in memory only). */
export const MAX_STORED_RESULT_CHARS = 16_000;
export const RESULTS_KEY = 'stackwatch.cfnLint.results';

interface StoredResult {
  key: string;
  result: LintResult;
}

const sharedResults = new Map<string, LintResult>();

/** Only a complete run is worth remembering: one that could not run or read says nothing about the template. */
export function isCacheable(result: LintResult): boolean {
  return result.available && result.note === undefined && result.timedOut !== true;
}

export class LintResultStore {
  constructor(
    private readonly memory?: ProviderMemory,
    private readonly inMemory: Map<string, LintResult> = sharedResults,
  ) {}

  get(key: string): LintResult | undefined {
    const held = this.inMemory.get(key);
    if (held) {
      this.remember(key, held);
      return held;
    }
    const stored = this.stored().find((entry) => entry.key === key)?.result;
    if (stored) this.remember(key, stored);
    return stored;
  }

  async put(key: string, result: LintResult): Promise<void> {
    if (!isCacheable(result)) return;
    this.remember(key, result);
    if (!this.memory || JSON.stringify(result).length > MAX_STORED_RESULT_CHARS) return;
    const kept = this.stored().filter((entry) => entry.key !== key);
    await this.memory.update(RESULTS_KEY, [{ key, result }, ...kept].slice(0, MAX_STORED_RESULTS));
  }

  /** Least recently used last: a Map iterates in insertion order. */
  private remember(key: string, result: LintResult): void {
    this.inMemory.delete(key);
    this.inMemory.set(key, result);
    while (this.inMemory.size > MAX_MEMORY_RESULTS) {
      const oldest = this.inMemory.keys().next().value;
      if (oldest === undefined) break;
      this.inMemory.delete(oldest);
    }
  }

  /** What the storage holds; anything malformed (another version, a damaged entry) is ignored. */
  private stored(): StoredResult[] {
    const raw = this.memory?.get<unknown>(RESULTS_KEY);
    return Array.isArray(raw) ? raw.filter(isStoredResult) : [];
  }
}

function isFinding(value: unknown): value is LintFinding {
  const f = value as Partial<LintFinding> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.rule === 'string' &&
    typeof f.message === 'string' &&
    typeof f.line === 'number' &&
    typeof f.column === 'number'
  );
}

function isStoredResult(value: unknown): value is StoredResult {
  const entry = value as Partial<StoredResult> | null;
  if (typeof entry !== 'object' || entry === null || typeof entry.key !== 'string') return false;
  const result = entry.result as Partial<LintResult> | undefined;
  return (
    typeof result === 'object' &&
    result !== null &&
    result.available === true &&
    Array.isArray(result.errors) &&
    result.errors.every(isFinding) &&
    Array.isArray(result.warnings) &&
    result.warnings.every(isFinding)
  );
}
