/**
 * Reads of one deployment or preview that the adapter's decisions rest on: a 404 is "not there",
 * and an answer that does not say what it is (no name, no state) is asked again, never decided on.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError } from '../provider';
import type { GcpCaller } from './calls';

export interface ImApi {
  caller: GcpCaller;
  im: config_v1.Config;
}

/**
 * A deployment or preview read must name the resource and its state: a well-formed but empty
 * answer (`{}`) would otherwise read as "not ours", "never applied" or "stale", and a read that
 * says nothing must not decide anything.
 */
export function readable<T extends { name?: string | null; state?: string | null }>(operation: string, name: string, answer: T): T {
  if (answer.name && answer.state) return answer;
  throw new ProviderError(
    'Transient',
    answer.name
      ? l10n.t('{0}: the answer for {1} could not be read (it has no state); asking again.', operation, name.split('/').pop() ?? name)
      : l10n.t('{0}: the answer for {1} could not be read (it has no name); asking again.', operation, name.split('/').pop() ?? name),
    {
      providerCode: 'UNREADABLE_RESPONSE',
    },
  );
}

/** The deployment, or undefined when the service answers 404. */
export function readDeployment({ caller, im }: ImApi, name: string, signal: AbortSignal): Promise<config_v1.Schema$Deployment | undefined> {
  return unlessNotFound(async () =>
    readable('deployments.get', name, await caller.call('deployments.get', signal, (o) => im.projects.locations.deployments.get({ name }, o))),
  );
}

/** The preview, or undefined when the service answers 404. */
export function readPreview({ caller, im }: ImApi, name: string, signal: AbortSignal): Promise<config_v1.Schema$Preview | undefined> {
  return unlessNotFound(async () =>
    readable('previews.get', name, await caller.call('previews.get', signal, (o) => im.projects.locations.previews.get({ name }, o))),
  );
}

async function unlessNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'NotFound') return undefined;
    throw error;
  }
}
