/** Pure helpers for the first-run flow: a valid default stack name and the parameters to ask for. */
import { stackNameProblem } from '../template/stackName';
import type { TemplateParameter } from '../template/templateDocument';

/** The folder name made into a CloudFormation stack name ("My App_2" → "My-App-2"). */
export function defaultStackName(folderName: string): string {
  const cleaned = folderName
    .replace(/[^-A-Za-z0-9]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128);
  return cleaned && stackNameProblem(cleaned) === undefined ? cleaned : 'my-stack';
}

/** Parameters with no Default and no value yet: a deployment cannot start without them. */
export function parametersToAsk(declared: Record<string, TemplateParameter>, provided: Record<string, string>): string[] {
  return Object.entries(declared)
    .filter(([key, p]) => p.Default === undefined && provided[key] === undefined)
    .map(([key]) => key);
}

export const COMMON_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'me-south-1',
  'af-south-1',
];

/** Looks like a CloudFormation template: the JSON/YAML markers every template has. */
export function looksLikeTemplate(text: string): boolean {
  return /(^|[\s{,])["']?(AWSTemplateFormatVersion|Resources)["']?\s*:/m.test(text);
}
