/**
 * AWS CloudFormation, as core code sees it: its words, settings, target mapping, stop policy and
 * how its templates are recognized. Light: the SDK adapter, the template step and the configure
 * flow are in runtime.ts, loaded on first use.
 */
import type { ProviderDescriptor, ProviderRuntime } from '../descriptor';
import { awsConsoleUrl } from './consoleLinks';
import { AWS_DEPLOYMENT_OPTIONS } from './deploymentOptions';
import { AWS_DURATION_DEFAULTS } from './durationDefaults';
import { looksLikeTemplate } from './configure/stackDefaults';
import { findTemplates } from './configure/templateFiles';
import { AWS_SETTING_KEYS, AWS_SETTINGS, isAwsSettings, readAwsSettings, type AwsStackSettings } from './settings';
import { AWS_REVIEW_TYPES } from './reviewTypes';
import { awsStopControl } from './stopRules';

/** The files the Explorer's Deploy offers to configure as the template. */
const TEMPLATE_FILE = /\.(ya?ml|json|template)$/i;

export const awsDescriptor: ProviderDescriptor<AwsStackSettings> = {
  kind: 'aws',
  words: {
    service: 'AWS CloudFormation',
    target: 'stack',
    state: 'stack state',
    staged: 'change set',
    loadStep: 'Loading the template and validating it with CloudFormation',
    actionColumn: 'Action',
    idColumn: 'Logical ID',
    physicalColumn: 'Physical ID',
    actions: { Add: 'Add', Modify: 'Modify', Remove: 'Remove', Import: 'Import', Dynamic: 'Dynamic', None: 'None' },
    saveStaged: 'Save Template',
    saveStagedHint: 'Open the exact template submitted with this change set, to save it.',
    stop: 'Stop',
    stopped: 'Stopped: the update was cancelled and the stack rolled back',
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
    const endpoint = settings.endpoint ? `, endpoint ${settings.endpoint}` : '';
    return `${settings.profile ? `AWS profile ${settings.profile}` : 'the default AWS credentials'}${endpoint}`;
  },
  // An update rolls back to where it was, so Stop needs no yes first.
  stop: { control: awsStopControl, confirmation: () => undefined },
  saved: {
    what: 'staged template',
    dialogTitle: 'Save the staged template',
    fileLabel: 'staged',
  },
  input: {
    description: 'a CloudFormation or SAM template',
    languages: ['yaml', 'json'],
    looksLike: looksLikeTemplate,
    claimsFile: (fsPath) => TEMPLATE_FILE.test(fsPath),
    configuredFile: (settings) => (isAwsSettings(settings) ? settings.templatePath : undefined),
    holdsInput: async (folder) => (await findTemplates(folder)).length > 0,
  },
  review: AWS_REVIEW_TYPES,
  durations: AWS_DURATION_DEFAULTS,
  deploymentOptions: AWS_DEPLOYMENT_OPTIONS,
  consoleUrl: awsConsoleUrl,
  loadRuntime: () => import('./runtime.js').then((loaded: { runtime: ProviderRuntime<AwsStackSettings> }) => loaded.runtime),
};
