/**
 * The client the configure flow lists with: the same credentials and endpoint rules as a
 * deployment (STACKWATCH_GCP_ACCESS_TOKEN, else Application Default Credentials, which only a
 * loopback endpoint may receive), so what the flow offers is what a deploy will be able to use.
 */
import * as l10n from '@vscode/l10n';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { ProviderError } from '../provider';
import { DEFAULT_CALL_TIMEOUT_MS, GcpCaller } from './calls';
import { isLoopbackEndpoint } from './loopback';
import { ProjectListings } from './projectListings';
import { GCP_SETTING_KEYS } from './settings';

const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

export interface ListingClientOptions {
  /** stackwatch.gcp.endpoint; empty for Google. */
  endpoint?: string;
  /** STACKWATCH_GCP_ACCESS_TOKEN, when set. */
  accessToken?: string;
}

export interface ListingClient {
  listings: ProjectListings;
  /** Application Default Credentials, when they are what the listings use (for the project they name). */
  adc?: GoogleAuth;
}

export function createListingClient(options: ListingClientOptions): ListingClient {
  const rootUrl = options.endpoint || undefined;
  const token = options.accessToken || undefined;
  const tokenClient = token ? new OAuth2Client() : undefined;
  tokenClient?.setCredentials({ access_token: token });
  const refused = rootUrl !== undefined && !tokenClient && !isLoopbackEndpoint(rootUrl);
  const refusal = refused
    ? () =>
        new ProviderError(
          'Credentials',
          l10n.t(
            'Stackwatch will not send your Google Application Default Credentials to {0}, the endpoint set in {1}: it is not this machine.',
            rootUrl,
            GCP_SETTING_KEYS.endpoint,
          ),
          {
            hint: l10n.t('Set STACKWATCH_GCP_ACCESS_TOKEN to a token meant for that endpoint, or clear {0}.', GCP_SETTING_KEYS.endpoint),
            providerCode: 'ENDPOINT_NOT_LOOPBACK',
          },
        )
    : undefined;
  const auth = tokenClient ?? new GoogleAuth({ scopes: SCOPES });
  const adc = auth instanceof GoogleAuth ? auth : undefined;
  const caller = new GcpCaller({ rootUrl, project: '', timeoutMs: DEFAULT_CALL_TIMEOUT_MS, ...(refusal ? { refusal } : {}) });
  // ADC's project is a suggestion only, and never looked up for an endpoint that may not get ADC.
  return { listings: new ProjectListings(caller, auth), ...(adc && !refused ? { adc } : {}) };
}
