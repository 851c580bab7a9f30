/**
 * The capabilities CloudFormation's ValidateTemplate named for a template, remembered by the
 * template's text: a redeploy of an unchanged template (the usual case) skips the call, and with
 * it a round trip on the way to a reviewable change set, one call of the deploy's budget and, for a
 * template over 51,200 bytes, an upload to S3. The capabilities follow from the text; what a
 * cached answer skips is ValidateTemplate's own refusals, which CreateChangeSet makes in any case
 * (with the staging error that names them), so nothing goes unchecked. The key holds the account's
 * profile and endpoint too: a refusal that depends on the account (a private resource type) is
 * asked of each.
 *
 * Only the capabilities are kept, the one thing the template step takes from the answer: the
 * answer's parameter defaults may include a NoEcho parameter's, which must not reach storage.
 * Kept in the workspace's storage, newest first and bounded.
 */
import { createHash } from 'node:crypto';
import type { ProviderMemory } from '../../descriptor';

export const VALIDATED_KEY = 'stackwatch.validateTemplate.capabilities';
export const MAX_VALIDATED = 32;

interface Entry {
  key: string;
  capabilities: string[];
}

/** Where the answer came from: the region, the endpoint (a simulator, a VPC endpoint) and the profile. */
export interface ValidationSource {
  region?: string;
  endpoint?: string;
  profile?: string;
}

/** Everything the answer depends on: where it came from and the text. */
export function validationKey(where: ValidationSource, templateBody: string): string {
  const canonical = JSON.stringify(['stackwatch-validate-1', where.region ?? '', where.endpoint ?? '', where.profile ?? '', templateBody]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.key === 'string' &&
    Array.isArray(entry.capabilities) &&
    entry.capabilities.every((c) => typeof c === 'string')
  );
}

export class ValidatedCapabilities {
  constructor(private readonly memory: ProviderMemory) {}

  get(key: string): string[] | undefined {
    return this.entries().find((entry) => entry.key === key)?.capabilities;
  }

  /** Best-effort: a storage failure costs the next deploy one ValidateTemplate, nothing more. */
  async put(key: string, capabilities: readonly string[]): Promise<void> {
    const kept = this.entries().filter((entry) => entry.key !== key);
    try {
      await this.memory.update(VALIDATED_KEY, [{ key, capabilities: [...capabilities] }, ...kept].slice(0, MAX_VALIDATED));
    } catch {
      // Nothing to do: see above.
    }
  }

  /** What the storage holds; anything malformed (another version, a damaged entry) is ignored. */
  private entries(): Entry[] {
    const raw = this.memory.get<unknown>(VALIDATED_KEY);
    return Array.isArray(raw) ? raw.filter(isEntry) : [];
  }
}
