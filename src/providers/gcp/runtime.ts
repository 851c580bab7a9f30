/**
 * Infrastructure Manager's heavy half: the API adapter, the blueprint step and the configure
 * flow. Only the descriptor imports this module, with `import('./runtime.js')`, so googleapis
 * loads on the first deployment or configure that needs it, from its own bundle.
 */
import * as l10n from '@vscode/l10n';
import { OAuth2Client } from 'google-auth-library';
import { useTranslations } from '../../shared/translations';
import type { ProviderRuntime } from '../descriptor';
import { configureGcpDeployment } from './configure/configureGcp';
import { GcpProvider } from './gcpProvider';
import { createBlueprintInitializer } from './initializeBlueprint';
import type { GcpStackSettings } from './settings';

/** Asking ADC who we are reads a file or asks the metadata server; it must not hang a deployment. */
const IDENTITY_TIMEOUT_MS = 15_000;

export const runtime: ProviderRuntime<GcpStackSettings> = {
  async steps(workspaceSettings, options) {
    // Symlinked .tf files inside the workspace are zipped; ones leading outside it are refused.
    const settings = { ...workspaceSettings, workspaceFolder: options.workspaceFolder };
    // STACKWATCH_GCP_ACCESS_TOKEN (e.g. from `gcloud auth print-access-token`, or any token a local
    // endpoint accepts) is used instead of Application Default Credentials when it is set.
    const token = process.env.STACKWATCH_GCP_ACCESS_TOKEN;
    const authClient = token ? new OAuth2Client() : undefined;
    authClient?.setCredentials({ access_token: token });
    const provider = new GcpProvider(settings, authClient ? { authClient } : {});
    const initialize = createBlueprintInitializer(settings, {
      displayPath: options.displayPath,
      identity: async () => {
        const identity = await provider.describeIdentity(AbortSignal.timeout(IDENTITY_TIMEOUT_MS));
        options.info(l10n.t('Google Cloud: deploying to project {0} {1} ({2}).', identity.project, identity.runsAs, identity.source));
        return identity;
      },
    });
    return { provider, initialize, files: { templatePath: settings.blueprintFolder, folder: settings.blueprintFolder } };
  },
  useTranslations,
  configure: {
    run: (folder) => configureGcpDeployment(folder),
  },
};
