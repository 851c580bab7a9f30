/**
 * Runs real deployments against im-sim: the real machine, the Infrastructure Manager adapter,
 * the real googleapis client and the real blueprint initializer.
 */
import { OAuth2Client } from 'google-auth-library';
import { DeploymentSession } from '../../src/deployment/session';
import { GcpProvider, type GcpProviderDeps } from '../../src/providers/gcp/gcpProvider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { createBlueprintInitializer } from '../../src/template/initializeBlueprint';
import type { GcpSim } from '../gcp-sim/index';
import { uniqueDeploymentId } from './awsDeployment';

export function gcpSettings(sim: GcpSim, blueprintFolder: string, overrides: Partial<GcpProviderSettings> = {}): GcpProviderSettings {
  return {
    project: 'orders-prod',
    location: 'us-central1',
    deploymentId: 'orders',
    serviceAccount: 'deployer@orders-prod.iam.gserviceaccount.com',
    blueprintFolder,
    inputValues: {},
    stagingBucket: 'orders-prod-blueprints',
    endpoint: sim.rootUrl,
    ...overrides,
  };
}

/**
 * A provider with the sim's bearer token, or (adc) with Application Default Credentials.
 * `rootUrl` sends it elsewhere (a fault proxy in front of the sim); `deps` sets its deadlines.
 */
export function gcpProvider(sim: GcpSim, settings: GcpProviderSettings, options: { adc?: boolean; rootUrl?: string; deps?: Omit<GcpProviderDeps, 'authClient' | 'rootUrl'> } = {}): GcpProvider {
  const rootUrl = options.rootUrl ?? sim.rootUrl;
  if (options.adc) return new GcpProvider(settings, { ...options.deps, rootUrl });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: sim.token });
  return new GcpProvider(settings, { ...options.deps, authClient, rootUrl });
}

export function startGcpDeployment(provider: GcpProvider, settings: GcpProviderSettings, options: { autoExecute?: boolean } = {}): DeploymentSession {
  return DeploymentSession.start(
    {
      deploymentId: uniqueDeploymentId('gcp'),
      target: { provider: 'gcp', name: settings.deploymentId, region: settings.location },
      autoExecute: options.autoExecute ?? true,
    },
    {
      provider,
      workspace: {
        preflight: async () => undefined,
        initialize: createBlueprintInitializer(settings, { displayPath: (p) => p.split('/').slice(-2).join('/'), identity: () => provider.describeIdentity(AbortSignal.timeout(10_000)) }),
      },
    },
  );
}
