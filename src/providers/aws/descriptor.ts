/**
 * AWS CloudFormation, as core code sees it: its words, settings, target mapping, stop policy and
 * how its templates are recognized. Light: the SDK adapter, the template step and the configure
 * flow are in runtime.ts, loaded on first use.
 */
import * as l10n from '@vscode/l10n';
import type { ProviderDescriptor, ProviderRuntime } from '../descriptor';
import { awsConsoleUrl } from './consoleLinks';
import { awsDeploymentOptions } from './deploymentOptions';
import { AWS_DURATION_DEFAULTS } from './durationDefaults';
import { looksLikeTemplate } from './configure/stackDefaults';
import { findTemplates } from './configure/templateFiles';
import { AWS_SETTING_KEYS, AWS_SETTINGS, isAwsSettings, readAwsSettings, type AwsStackSettings } from './settings';
import { AWS_REVIEW_TYPES } from './reviewTypes';
import { awsStopControl } from './stopRules';

/** The files the Explorer's Deploy offers to configure as the template. */
const TEMPLATE_FILE = /\.(ya?ml|json|template)$/i;

/** The descriptor's words, in the display language: read when they are shown, never when the module loads. */
export const awsDescriptor: ProviderDescriptor<AwsStackSettings> = {
  kind: 'aws',
  get words() {
    return {
      service: 'AWS CloudFormation', // l10n-exempt: the service's product name, also the key the provider picker maps back to a kind
      target: l10n.t({ message: 'stack', comment: ['What a CloudFormation deployment is aimed at (a noun); other sentences name it.'] }),
      state: l10n.t({ message: 'stack state', comment: ["The label before a CloudFormation stack's status."] }),
      staged: l10n.t({ message: 'change set', comment: ['What CloudFormation calls the set of changes staged for review (a noun).'] }),
      loadStep: l10n.t('Loading the template and validating it with CloudFormation'),
      actionColumn: l10n.t({ message: 'Action', comment: ['Column heading in the list of changes: what happens to each resource.'] }),
      idColumn: l10n.t({ message: 'Logical ID', comment: ["Column heading: the resource's name in the CloudFormation template."] }),
      physicalColumn: l10n.t({ message: 'Physical ID', comment: ["Column heading: the resource's ID in the AWS account."] }),
      actions: {
        Add: l10n.t({ message: 'Add', comment: ['A change action: the resource is added.'] }),
        Modify: l10n.t({ message: 'Modify', comment: ['A change action: the resource is modified.'] }),
        Remove: l10n.t({ message: 'Remove', comment: ['A change action: the resource is removed.'] }),
        Import: l10n.t({ message: 'Import', comment: ['A change action: an existing resource is imported into the stack.'] }),
        Dynamic: l10n.t({ message: 'Dynamic', comment: ['A change action: what happens is decided only when the change set runs.'] }),
        None: l10n.t({ message: 'None', comment: ['A change action: nothing happens to the resource.'] }),
      },
      saveStaged: l10n.t('Save Template'),
      saveStagedHint: l10n.t('Open the exact template submitted with this change set, to save it.'),
      stop: l10n.t({ message: 'Stop', comment: ['Button that stops (cancels) a CloudFormation update.'] }),
      stopped: l10n.t('Stopped: the update was cancelled and the stack rolled back'),
    };
  },
  settings: {
    all: Object.values(AWS_SETTINGS),
    read: readAwsSettings,
    firstRunKeys: [AWS_SETTING_KEYS.stackName, AWS_SETTING_KEYS.region],
    // The stack name and region are the only settings without a default; reading asks for them.
    needsFirstRun: () => false,
  },
  targetOf: (settings) => ({ provider: 'aws', name: settings.stackName, region: settings.region }),
  settingsFor: (settings, target) => ({ ...settings, stackName: target.name, region: target.region ?? settings.region }),
  whereOf(settings) {
    if (settings.profile) {
      return settings.endpoint ? l10n.t('AWS profile {0}, endpoint {1}', settings.profile, settings.endpoint) : l10n.t('AWS profile {0}', settings.profile);
    }
    return settings.endpoint ? l10n.t('the default AWS credentials, endpoint {0}', settings.endpoint) : l10n.t('the default AWS credentials');
  },
  // An update rolls back to where it was, so Stop needs no yes first.
  stop: { control: awsStopControl, confirmation: () => undefined },
  get saved() {
    return {
      what: l10n.t('staged template'),
      dialogTitle: l10n.t('Save the staged template'),
      fileLabel: 'staged',
    };
  },
  input: {
    get description() {
      return l10n.t('a CloudFormation or SAM template');
    },
    languages: ['yaml', 'json'],
    looksLike: looksLikeTemplate,
    claimsFile: (fsPath) => TEMPLATE_FILE.test(fsPath),
    configuredFile: (settings) => (isAwsSettings(settings) ? settings.templatePath : undefined),
    holdsInput: async (folder) => (await findTemplates(folder)).length > 0,
  },
  review: AWS_REVIEW_TYPES,
  durations: AWS_DURATION_DEFAULTS,
  get deploymentOptions() {
    return awsDeploymentOptions();
  },
  consoleUrl: awsConsoleUrl,
  loadRuntime: () => import('./runtime.js').then((loaded: { runtime: ProviderRuntime<AwsStackSettings> }) => loaded.runtime),
};
