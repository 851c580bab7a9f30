/**
 * The learned resource durations the Stackwatch worker carries from round to round, as the
 * extension carries them in its workspace state: the extension's own DurationStore, over a JSON
 * file instead of a Memento. Read before each deploy (DeploymentSession.start's `durations`),
 * taught by that deploy's events after it. The bench starts each run with no file: nothing learned.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DurationStore } from '../src/app/durationStore';
import type { StateStore } from '../src/app/history';
import type { LearnedDurations } from '../src/deployment/durations/learnedDurations';
import type { DeploymentSnapshot } from '../src/deployment/machine';

/** Workspace state in one JSON file: what VS Code's Memento is to the extension. */
function fileState(path: string): StateStore {
  const read = (): Record<string, unknown> => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {});
  return {
    get: <T>(key: string) => read()[key] as T | undefined,
    update: async (key, value) => {
      writeFileSync(path, JSON.stringify({ ...read(), [key]: value }));
    },
    keys: () => Object.keys(read()),
  };
}

export interface LearnedForDeploy {
  status: 'wired' | 'not available';
  /** Spread into DeploymentSession.start's options. */
  sessionOption: { durations?: LearnedDurations };
  store?: DurationStore;
}

export function loadLearned(path: string | undefined): LearnedForDeploy {
  if (path === undefined) return { status: 'not available', sessionOption: {} };
  const store = new DurationStore(fileState(path));
  return { status: 'wired', sessionOption: { durations: store.load() }, store };
}

export async function saveLearned(learned: LearnedForDeploy, end: DeploymentSnapshot): Promise<void> {
  await learned.store?.learnFrom(end);
}
