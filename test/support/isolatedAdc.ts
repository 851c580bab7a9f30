/**
 * Application Default Credentials looked up from a test must never find the machine's real
 * credentials file, gcloud configuration or metadata server. Call inside a describe(): it points
 * HOME and CLOUDSDK_CONFIG at an empty temp folder for the suite and restores everything after.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

const KEYS = ['GOOGLE_APPLICATION_CREDENTIALS', 'METADATA_SERVER_DETECTION', 'HOME', 'CLOUDSDK_CONFIG', 'GOOGLE_CLOUD_PROJECT', 'GCLOUD_PROJECT', 'PATH'];

/** `withoutPath` also empties PATH, so the library cannot ask a real gcloud for a project. */
export function useIsolatedAdc(options: { withoutPath?: boolean } = {}): { home: () => string } {
  const saved: Record<string, string | undefined> = {};
  let home = '';
  before(() => {
    for (const key of KEYS) saved[key] = process.env[key];
    home = mkdtempSync(join(tmpdir(), 'sw-gcp-adc-'));
    process.env.HOME = home;
    process.env.CLOUDSDK_CONFIG = join(home, 'gcloud');
    process.env.METADATA_SERVER_DETECTION = 'none';
    if (options.withoutPath) process.env.PATH = '';
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    delete process.env.GOOGLE_CLOUD_PROJECT;
    delete process.env.GCLOUD_PROJECT;
  });
  after(() => {
    for (const key of KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  return { home: () => home };
}
