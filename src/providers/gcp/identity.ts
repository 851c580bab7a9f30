/**
 * Who Application Default Credentials say we are, and where they came from, in words a person
 * can check before anything is deployed ("am I about to deploy as the right account?").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserRefreshClient, type GoogleAuth, type OAuth2Client } from 'google-auth-library';
import { ProviderError } from '../provider';
import { toProviderError } from './errors';

export interface GcpIdentity {
  account: string;
  project: string;
  source: string;
}

export const USER_CREDENTIALS = 'user credentials (gcloud auth application-default login)';

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
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return `GOOGLE_APPLICATION_CREDENTIALS (${env.GOOGLE_APPLICATION_CREDENTIALS})`;
  const file = wellKnownCredentialsFile(env);
  if (file && existsSync(file)) return file;
  return 'the metadata server (Compute Engine, Cloud Run, GKE, Cloud Shell)';
}

/** google-auth-library does not take an AbortSignal; we stop waiting for it instead. */
function abortable<T>(work: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProviderError('Aborted', `${what}: cancelled.`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ProviderError('Aborted', `${what}: cancelled.`));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function describeAdcIdentity(auth: GoogleAuth, fallbackProject: string, signal: AbortSignal): Promise<GcpIdentity> {
  const what = 'Reading Application Default Credentials';
  try {
    const client = await abortable(auth.getClient(), signal, what);
    // User credentials have no email in them; service accounts (keys, impersonation, metadata) do.
    const credentials: { client_email?: string } =
      client instanceof UserRefreshClient ? {} : await abortable(auth.getCredentials(), signal, what).catch(() => ({}));
    const account =
      credentials.client_email ?? (client instanceof UserRefreshClient ? USER_CREDENTIALS : 'an account Application Default Credentials did not name');
    const project = await abortable(auth.getProjectId(), signal, what).catch(() => fallbackProject);
    return { account, project: project || fallbackProject, source: credentialSource() };
  } catch (error) {
    throw toProviderError(error, { operation: what });
  }
}

/** An injected client (tests, or a host that manages its own login). */
export async function describeInjectedIdentity(client: OAuth2Client, project: string): Promise<GcpIdentity> {
  const token = client.credentials.access_token;
  return {
    account: token ? 'the given access token' : 'the given OAuth2 client',
    project,
    source: token ? 'an access token (STACKWATCH_GCP_ACCESS_TOKEN, or a test)' : 'an OAuth2 client passed to GcpProvider',
  };
}
