/**
 * Which stacks' monitors are open, kept in workspace state, so that after a reload that VS Code
 * did not restore its editors from (a browser refresh of a web workbench does not always save
 * them), Stackwatch can bring back the monitors the person had open.
 */
import type { OptionStore } from './rememberedOptions';

const OPEN_MONITORS_KEY = 'stackwatch.openMonitors';

export class OpenMonitors {
  constructor(private readonly state: OptionStore) {}

  keys(): string[] {
    const stored = this.state.get(OPEN_MONITORS_KEY);
    return Array.isArray(stored) ? stored.filter((key): key is string => typeof key === 'string') : [];
  }

  opened(key: string): void {
    const keys = this.keys();
    if (!keys.includes(key)) this.write([...keys, key]);
  }

  closed(key: string): void {
    const keys = this.keys();
    if (keys.includes(key)) this.write(keys.filter((k) => k !== key));
  }

  private write(keys: string[]): void {
    // Best effort: a lost write costs only the reopening after a reload.
    void Promise.resolve(this.state.update(OPEN_MONITORS_KEY, keys.length > 0 ? keys : undefined)).catch(() => undefined);
  }
}
