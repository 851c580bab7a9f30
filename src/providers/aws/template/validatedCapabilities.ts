/**
 * The capabilities CloudFormation's ValidateTemplate named for a template, remembered by the
 * template's text: a redeploy of an unchanged template (the usual case) skips the call, and with
 * it a round trip on the way to a reviewable change set, one call of the deploy's budget and, for a
 * template over 51,200 bytes, an upload to S3. CloudFormation answers from the text alone, and
 * CreateChangeSet validates the template again in any case, so nothing goes unchecked.
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

/** Everything the answer depends on: the endpoint asked (a region, a simulator) and the text. */
export function validationKey(where: { region?: string; endpoint?: string }, templateBody: string): string {
  const canonical = JSON.stringify(['stackwatch-validate-1', where.region ?? '', where.endpoint ?? '', templateBody]);
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
