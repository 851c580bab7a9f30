/**
 * CloudFormation's heavy half: the SDK adapter, the template step and the configure flow. Only
 * the descriptor imports this module, with `import('./runtime.js')`, so the AWS SDK loads on the
 * first deployment or configure that needs it, from its own bundle.
 */
import type { ProviderRuntime } from '../descriptor';
import { AwsProvider } from './awsProvider';
import { configureCloudFormation } from './configure/configureCloudFormation';
import type { AwsStackSettings } from './settings';
import { createTemplateInitializer } from './template/initialize';
import { createLintCheck } from './template/lintCheck';
import { locate } from './template/locate';

export const runtime: ProviderRuntime<AwsStackSettings> = {
  async steps(settings, options) {
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
    });
    // cfn-lint runs beside staging, not before it: initialize announces it, the machine runs it.
    const check = createLintCheck(settings, { memory: options.memory });
    return { provider, initialize, check, files: { templatePath: settings.templatePath, parametersFile: settings.parametersFile } };
  },
  configure: {
    run: configureCloudFormation,
  },
  locate: (template, pointer, options) => locate(template, pointer, options),
};
