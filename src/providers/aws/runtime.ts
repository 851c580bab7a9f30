/**
 * CloudFormation's heavy half: the SDK adapter, the template step and the configure flow. Only
 * the descriptor imports this module, with `import('./runtime.js')`, so the AWS SDK loads on the
 * first deployment or configure that needs it, from its own bundle.
 */
import { useTranslations } from '../../shared/translations';
import type { ProviderRuntime } from '../descriptor';
import { configureCloudFormation } from './configure/configureCloudFormation';
import type { AwsStackSettings } from './settings';
import { awsSteps } from './steps';
import { locate } from './template/locate';

export const runtime: ProviderRuntime<AwsStackSettings> = {
  async steps(settings, options) {
    return awsSteps(settings, options);
  },
  useTranslations,
  configure: {
    run: configureCloudFormation,
  },
  locate: (template, pointer, options) => locate(template, pointer, options),
};
