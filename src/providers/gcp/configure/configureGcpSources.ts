/**
 * The flow's Listings, from the real sources: project hints (environment, gcloud, ADC), the
 * project's listings through Google's APIs, and the workspace's Terraform folders. Shared by the
 * VS Code command and the tests, so both run the same code.
 */
import * as l10n from '@vscode/l10n';
import { projectHints } from '../projectHints';
import type { ListingClient } from '../listingClient';
import type { Listings } from './configureGcpFlow';
import { terraformFolders } from './configureGcpFolders';

export interface SourceOptions {
  client: ListingClient;
  workspaceFolder: string;
  /** Ends every listing still running (the flow was closed, or the person cancelled a wait). */
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Wraps each network listing, e.g. to show progress; `what` is "Listing service accounts of P". */
  around?: <T>(what: string, work: () => Promise<T>) => Promise<T>;
}

export function gcpSources({ client, workspaceFolder, signal, env, around = (_what, work) => work() }: SourceOptions): Listings {
  return {
    projectHints: () => projectHints({ env, adc: client.adc, signal }),
    locations: (project) => around(l10n.t('Listing Infrastructure Manager locations of {0}', project), () => client.listings.locations(project, signal)),
    serviceAccounts: (project) => around(l10n.t('Listing service accounts of {0}', project), () => client.listings.serviceAccounts(project, signal)),
    buckets: (project) => around(l10n.t('Listing Cloud Storage buckets of {0}', project), () => client.listings.buckets(project, signal)),
    blueprintFolders: () => terraformFolders(workspaceFolder),
  };
}
