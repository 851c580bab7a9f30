/**
 * The blueprint as it was checked, so that what is uploaded and applied is byte for byte what
 * initialize read, checked and showed (as on AWS, where the checked template body is the one
 * sent). Initialize reads every file once, checks the variables from those bytes and zips them;
 * the zip is kept here under its sha256, and "the template" names that digest. Stage uploads
 * the zip found under the digest. When it is not here (the window reloaded, or it was evicted),
 * the folder is zipped again and used only if it comes out as the same digest.
 */
import { createHash } from 'node:crypto';
import type { BlueprintVariable } from './blueprint';
import { readContents, variablesOf, zipContents, type BlueprintContent, type BlueprintFile } from './blueprintFiles';

export interface CheckedBlueprint {
  /** Hex sha256 of `zip`. */
  sha256: string;
  zip: Uint8Array;
  variables: BlueprintVariable[];
  /** Path and size of each file, as zipped. */
  files: { path: string; size: number }[];
}

/** The zip, its digest and its variables, all from one read of the files. */
export function checkedFrom(contents: readonly BlueprintContent[]): CheckedBlueprint {
  const zip = zipContents(contents);
  return {
    sha256: createHash('sha256').update(zip).digest('hex'),
    zip,
    variables: variablesOf(contents),
    files: contents.map((c) => ({ path: c.path, size: c.bytes.byteLength })),
  };
}

export async function checkBlueprintFiles(files: readonly BlueprintFile[]): Promise<CheckedBlueprint> {
  return checkedFrom(await readContents(files));
}

/** A few recent blueprints, by digest; bounded so a long session does not keep every zip it made. */
export class CheckedBlueprintStore {
  private readonly byDigest = new Map<string, CheckedBlueprint>();

  constructor(
    private readonly maxEntries = 8,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  put(checked: CheckedBlueprint): void {
    this.byDigest.delete(checked.sha256);
    this.byDigest.set(checked.sha256, checked);
    let bytes = [...this.byDigest.values()].reduce((sum, c) => sum + c.zip.byteLength, 0);
    // Oldest first; the one just put always stays.
    for (const [digest, old] of this.byDigest) {
      if (this.byDigest.size <= 1 || (this.byDigest.size <= this.maxEntries && bytes <= this.maxBytes)) break;
      this.byDigest.delete(digest);
      bytes -= old.zip.byteLength;
    }
  }

  get(sha256: string): CheckedBlueprint | undefined {
    const found = this.byDigest.get(sha256);
    if (found) {
      // Used again: it becomes the newest.
      this.byDigest.delete(sha256);
      this.byDigest.set(sha256, found);
    }
    return found;
  }

  clear(): void {
    this.byDigest.clear();
  }
}

/**
 * One store for the extension host: the initializer and the provider are made separately, and a
 * digest names the same bytes wherever it was computed, so sharing it is safe.
 */
export const checkedBlueprints = new CheckedBlueprintStore();

const DIGEST_LINE = /^# Checked zip sha256: ([0-9a-f]{64})$/m;

/** The manifest line that ties "the template" to the checked zip. */
export function digestLine(sha256: string): string {
  return `# Checked zip sha256: ${sha256}`; // l10n-exempt: a manifest line DIGEST_LINE reads back
}

/** The checked zip's digest a manifest names; undefined for a body initialize did not make. */
export function digestOf(manifestBody: string): string | undefined {
  return DIGEST_LINE.exec(manifestBody)?.[1];
}
