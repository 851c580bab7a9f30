/**
 * What a deployment needs to know about its stack, as plain data. The extension reads it from
 * the `stackwatch.*` workspace settings; tests and tools build it directly.
 */
import type { GcpProviderSettings } from '../providers/gcp/settings';

export interface AwsStackSettings {
  provider: 'aws';
  /** Absolute path of the template file. */
  templatePath: string;
  stackName: string;
  region: string;
  profile?: string;
  /** A LocalStack-style endpoint, e.g. http://127.0.0.1:4566. */
  endpoint?: string;
  /** Parameter values; these win over the parameters file. */
  parameters: Record<string, string>;
  /** Absolute path of a parameters file (AWS CLI, CodePipeline or plain key/value JSON or YAML). */
  parametersFile?: string;
  /** Extra capabilities on top of those inferred from the template. */
  capabilities: string[];
  autoExecute: boolean;
  /**
   * Lets auto-execute run changes that replace or delete a data store, or whose deletion policy
   * deletes or replaces a resource. Off (and absent, as in settings built by tests or tools):
   * such changes always wait for review. The settings reader always sets it.
   */
  autoExecuteDestructive?: boolean;
  /** S3 bucket for templates over CloudFormation's 51,200-byte inline limit. */
  templateBucket?: string;
  /** `auto` runs cfn-lint when it is installed; `off` never does. */
  cfnLint: 'auto' | 'off';
  tags?: Record<string, string>;
}

/** Infrastructure Manager: the adapter's own settings plus what every deployment has. */
export interface GcpStackSettings extends GcpProviderSettings {
  provider: 'gcp';
  autoExecute: boolean;
  /** See AwsStackSettings.autoExecuteDestructive. */
  autoExecuteDestructive?: boolean;
}

export type StackSettings = AwsStackSettings | GcpStackSettings;

/** The settings each field comes from, for error messages that say what to change. */
export const SETTING_KEYS = {
  templatePath: 'stackwatch.templatePath',
  stackName: 'stackwatch.stackName',
  region: 'stackwatch.aws.region',
  profile: 'stackwatch.aws.profile',
  endpoint: 'stackwatch.aws.endpoint',
  parameters: 'stackwatch.parameters',
  parametersFile: 'stackwatch.parametersFile',
  capabilities: 'stackwatch.capabilities',
  autoExecute: 'stackwatch.autoExecute',
  autoExecuteDestructive: 'stackwatch.autoExecuteDestructive',
  templateBucket: 'stackwatch.aws.templateBucket',
  cfnLint: 'stackwatch.cfnLint',
  buildTask: 'stackwatch.buildTask',
  provider: 'stackwatch.provider',
} as const;
