/**
 * The AWS runtime's deployment steps from its settings: the SDK adapter, the template step and
 * the cfn-lint check that runs beside staging. Apart from runtime.ts (which also loads the
 * configure flow, and with it `vscode`), so the bench can run the extension's very path.
 */
import type { ProviderSteps, StepOptions } from '../descriptor';
import { AwsProvider } from './awsProvider';
import type { AwsStackSettings } from './settings';
import { createTemplateInitializer } from './template/initialize';
import { createLintCheck } from './template/lintCheck';

export function awsSteps(settings: AwsStackSettings, options: StepOptions): ProviderSteps {
  const provider = new AwsProvider({
    region: settings.region,
    profile: settings.profile,
    endpoint: settings.endpoint,
    templateBucket: settings.templateBucket,
    // Nested stacks' local TemplateURLs are packaged at staging, from the template's folder.
    templateFile: settings.templatePath,
    workspaceFolder: options.workspaceFolder,
  });
  const initialize = createTemplateInitializer(settings, provider, {
    describeCondition: (stack, signal) => provider.describeTarget({ target: stack, signal }).then((r) => r.condition),
    displayPath: options.displayPath,
    // Symlinks that lead outside the workspace are refused; inside it they are followed.
    workspaceFolder: options.workspaceFolder,
    // An unchanged template's capabilities are remembered: a redeploy skips ValidateTemplate.
    memory: options.memory,
    endpoint: { region: settings.region, endpoint: settings.endpoint, profile: settings.profile },
  });
  // cfn-lint runs beside staging, not before it: initialize announces it, the machine runs it.
  const check = createLintCheck(settings, { memory: options.memory });
  return { provider, initialize, check, files: { templatePath: settings.templatePath, parametersFile: settings.parametersFile } };
}
