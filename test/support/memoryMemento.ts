/** VS Code's Memento for tests: values round-trip through JSON like the real storage; writes can be made to fail. */
import type { ProviderMemory } from '../../src/providers/descriptor';

export class MemoryMemento implements ProviderMemory {
  readonly data = new Map<string, unknown>();
  /** Every update throws while set, as a full or broken storage would. */
  failWrites = false;
  get<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (this.failWrites) throw new Error('storage is full');
    // As in VS Code, storing undefined removes the key.
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}
