/**
 * Who Application Default Credentials say we are, and where they came from, in words a person
 * can check before anything is deployed ("am I about to deploy as the right account?").
 */
import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserRefreshClient, type GoogleAuth, type OAuth2Client } from 'google-auth-library';
import { ProviderError } from '../provider';
import { toProviderError } from './errors';

export interface GcpIdentity {
  /** The account's email, when the credentials name one; absent when they cannot (a bare access token). */
  account?: string;
  /** How it runs, in words that follow the project: "as deployer@…", or "with an access token" when no account is known. */
  runsAs: string;
  project: string;
  source: string;
}

/** "as <email>" when the account is known, else how the credentials were given. */
function runsAs(account: string | undefined, otherwise: string): string {
  return account
    ? l10n.t({ message: 'as {0}', args: [account], comment: ['How a deployment runs, after its project: "deploying to project P {0}".'] })
    : otherwise;
}

/**
 * The email of the person whose gcloud login ADC uses: their credentials hold none, but the
 * token's own information does (gcloud's login asks for the email scope). Best effort and quick:
 * without it the header says "with user credentials" instead.
 */
async function userEmail(client: UserRefreshClient, signal: AbortSignal): Promise<string | undefined> {
  try {
    const { token } = await abortable(client.getAccessToken(), signal, l10n.t('Reading the gcloud user'));
    if (!token) return undefined;
    const info = await abortable(client.getTokenInfo(token), signal, l10n.t('Reading the gcloud user'));
    return info.email || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file gcloud writes for `gcloud auth application-default login`, where google-auth-library
 * 10 looks for it: %APPDATA%\gcloud on Windows, $HOME/.config/gcloud elsewhere. (Version 10 does
 * not read CLOUDSDK_CONFIG; naming that folder here would show a file the library never reads.)
 */
export function wellKnownCredentialsFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configDir =
    process.platform === 'win32' ? (env.APPDATA ? join(env.APPDATA, 'gcloud') : undefined) : env.HOME ? join(env.HOME, '.config', 'gcloud') : undefined;
  return configDir ? join(configDir, 'application_default_credentials.json') : undefined;
}

/** Where ADC looks first that has something; the library's own order. */
export function credentialSource(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return `GOOGLE_APPLICATION_CREDENTIALS (${env.GOOGLE_APPLICATION_CREDENTIALS})`; // l10n-exempt: an environment variable and its value
  const file = wellKnownCredentialsFile(env);
  if (file && existsSync(file)) return file;
  return l10n.t({ message: 'the metadata server (Compute Engine, Cloud Run, GKE, Cloud Shell)', comment: ['Where the Google credentials come from.'] });
}

/** How long the gcloud user's email may take to read before the header goes without it. */
const USER_EMAIL_TIMEOUT_MS = 5_000;

/** google-auth-library does not take an AbortSignal; we stop waiting for it instead. */
function abortable<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProviderError('Aborted', l10n.t('{0}: cancelled.', what)));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ProviderError('Aborted', l10n.t('{0}: cancelled.', what)));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function describeAdcIdentity(auth: GoogleAuth, fallbackProject: string, signal: AbortSignal): Promise<GcpIdentity> {
  const what = l10n.t('Reading Application Default Credentials');
  try {
    const client = await abortable(auth.getClient(), signal, what);
    // User credentials have no email in them (their token's information does); service accounts (keys, impersonation, metadata) do.
    const user = client instanceof UserRefreshClient;
    const credentials: { client_email?: string } = user ? {} : await abortable(auth.getCredentials(), signal, what).catch(() => ({}));
    // The user's email costs a round trip to Google: it runs beside the project lookup, not before it.
    const [account, project] = await Promise.all([
      user ? userEmail(client, AbortSignal.any([signal, AbortSignal.timeout(USER_EMAIL_TIMEOUT_MS)])) : Promise.resolve(credentials.client_email),
      abortable(auth.getProjectId(), signal, what).catch(() => fallbackProject),
    ]);
    const otherwise = user
      ? l10n.t({
          message: 'with user credentials (gcloud auth application-default login)',
          comment: ['How a deployment runs, after its project: "deploying to project P {0}".'],
        })
      : l10n.t({
          message: 'with credentials that do not name their account',
          comment: ['How a deployment runs, after its project: "deploying to project P {0}".'],
        });
    return { ...(account ? { account } : {}), runsAs: runsAs(account, otherwise), project: project || fallbackProject, source: credentialSource() };
  } catch (error) {
    throw toProviderError(error, { operation: what });
  }
}

/** An injected client (tests, or a host that manages its own login). */
export async function describeInjectedIdentity(client: OAuth2Client, project: string): Promise<GcpIdentity> {
  const token = client.credentials.access_token;
  // A bare token does not say whose it is, and asking Google would send it to an endpoint the person did not name.
  return {
    runsAs: token
      ? l10n.t({ message: 'with an access token', comment: ['How a deployment runs, after its project: "deploying to project P {0}".'] })
      : l10n.t({ message: 'with an OAuth2 client', comment: ['How a deployment runs, after its project: "deploying to project P {0}".'] }),
    project,
    source: token
      ? l10n.t({ message: 'an access token (STACKWATCH_GCP_ACCESS_TOKEN, or a test)', comment: ['Where the Google credentials come from.'] })
      : l10n.t({ message: 'an OAuth2 client passed to GcpProvider', comment: ['Where the Google credentials come from.'] }),
  };
}
