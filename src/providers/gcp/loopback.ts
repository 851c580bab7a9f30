/** Which endpoints are this machine: the only ones trusted with credentials or plain http. */
import * as l10n from '@vscode/l10n';
import { ProviderError } from '../provider';
import { GCP_SETTING_KEYS } from './settings';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Whether an endpoint URL names this machine. Only such an endpoint may receive the user's
 * Application Default Credentials: a workspace setting can name any URL, and a bearer token
 * sent there is a token handed to whoever runs it.
 */
export function isLoopbackEndpoint(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return LOOPBACK_HOSTS.has(host.replace(/^\[(.*)\]$/, '$1'));
}

/** Why a deployment's calls to `rootUrl`, not this machine, are refused instead of carrying Application Default Credentials. */
export function adcRefusal(rootUrl: string): ProviderError {
  return new ProviderError(
    'Credentials',
    l10n.t(
      'Stackwatch will not send your Google Application Default Credentials to {0}, the endpoint set in {1}: it is not this machine, and anyone running it would get your access token.',
      rootUrl,
      GCP_SETTING_KEYS.endpoint,
    ),
    {
      hint: l10n.t(
        'Only loopback endpoints (127.0.0.1, ::1, localhost) get Application Default Credentials. To use another endpoint, set STACKWATCH_GCP_ACCESS_TOKEN to a token meant for it; otherwise clear {0}.',
        GCP_SETTING_KEYS.endpoint,
      ),
      providerCode: 'ENDPOINT_NOT_LOOPBACK',
    },
  );
}
