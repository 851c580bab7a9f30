/**
 * Projects the person has probably meant before: the environment, gcloud's active
 * configuration, and what Application Default Credentials say. Only suggestions for the
 * configure flow's first step; each says where it came from, and none is ever written unasked.
 */
import { readFile } from 'node:fs/promises';
import * as l10n from '@vscode/l10n';
import { join } from 'node:path';
import type { GoogleAuth } from 'google-auth-library';

export interface ProjectHint {
  id: string;
  /** "gcloud config (default)", "GOOGLE_CLOUD_PROJECT", … */
  source: string;
}

/** ADC's own lookup may ask gcloud or the metadata server; the flow does not wait longer than this. */
export const ADC_PROJECT_TIMEOUT_MS = 3_000;

const ENV_PROJECT = ['CLOUDSDK_CORE_PROJECT', 'GOOGLE_CLOUD_PROJECT', 'GCLOUD_PROJECT'] as const;

/** gcloud's configuration folder: CLOUDSDK_CONFIG, else %APPDATA%\gcloud or ~/.config/gcloud. */
export function gcloudConfigDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CLOUDSDK_CONFIG) return env.CLOUDSDK_CONFIG;
  if (process.platform === 'win32') return env.APPDATA ? join(env.APPDATA, 'gcloud') : undefined;
  return env.HOME ? join(env.HOME, '.config', 'gcloud') : undefined;
}

/** `project = x` in the `[core]` section of a gcloud configuration file. */
export function coreProject(ini: string): string | undefined {
  let section = '';
  for (const line of ini.split(/\r?\n/)) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      section = (header[1] ?? '').trim();
      continue;
    }
    const entry = /^\s*project\s*=\s*(\S+)\s*$/.exec(line);
    if (section === 'core' && entry) return entry[1];
  }
  return undefined;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The project of gcloud's active configuration (CLOUDSDK_ACTIVE_CONFIG_NAME, else the `active_config` file). */
export async function gcloudProject(env: NodeJS.ProcessEnv = process.env): Promise<ProjectHint | undefined> {
  const dir = gcloudConfigDir(env);
  if (!dir) return undefined;
  const active = env.CLOUDSDK_ACTIVE_CONFIG_NAME || (await readOptional(join(dir, 'active_config')))?.trim() || 'default';
  const ini = await readOptional(join(dir, 'configurations', `config_${active}`));
  const id = ini ? coreProject(ini) : undefined;
  return id
    ? { id, source: l10n.t({ message: 'gcloud config ({0})', args: [active], comment: ['Where a suggested Google Cloud project ID was found.'] }) }
    : undefined;
}

/** The environment and gcloud first (instant), then ADC's answer if it comes in time; duplicates dropped. */
export async function projectHints(options: { env?: NodeJS.ProcessEnv; adc?: GoogleAuth; signal: AbortSignal }): Promise<ProjectHint[]> {
  const env = options.env ?? process.env;
  const hints: ProjectHint[] = [];
  for (const name of ENV_PROJECT) {
    const id = env[name]?.trim();
    if (id) hints.push({ id, source: name });
  }
  const gcloud = await gcloudProject(env);
  if (gcloud) hints.push(gcloud);
  if (options.adc) {
    const id = await withinDeadline(options.adc.getProjectId(), options.signal);
    if (id)
      hints.push({ id, source: l10n.t({ message: 'Application Default Credentials', comment: ['Where a suggested Google Cloud project ID was found.'] }) });
  }
  const seen = new Set<string>();
  return hints.filter((hint) => !seen.has(hint.id) && seen.add(hint.id));
}

/** google-auth-library takes no AbortSignal: stop waiting instead; a failure is no suggestion. */
function withinDeadline(work: Promise<string | null | undefined>, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(undefined), ADC_PROJECT_TIMEOUT_MS);
    const onAbort = (): void => finish(undefined);
    function finish(value: string | undefined): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    }
    if (signal.aborted) return finish(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (id) => finish(id || undefined),
      () => finish(undefined),
    );
  });
}
