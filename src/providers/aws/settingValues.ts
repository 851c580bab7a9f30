/**
 * The CloudFormation settings whose values have a shape beyond their JSON type: the region, the
 * stack name, capabilities and parameter values. Each refuses bad values here, before the values
 * reach the template step or the SDK (which took a non-string capability for `.trim()`).
 */
import { CAPABILITY_AUTO_EXPAND, CAPABILITY_IAM, CAPABILITY_NAMED_IAM } from './template/capabilities';
import { stackNameProblem } from './template/stackName';
import { describeKind, describeValue, quote } from '../../config/describeValue';
import { SettingsError } from '../../config/settingsError';
import { name, object, type SettingParser } from '../../config/settingTypes';

export const VALID_CAPABILITIES: readonly string[] = [CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND];

/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1… */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Why the region name is not one, with a likely fix; undefined when it has a region's shape. */
export function regionProblem(value: string): { problem: string; fix?: string } | undefined {
  if (REGION.test(value)) return undefined;
  const lower = value.toLowerCase();
  if (REGION.test(lower)) return { problem: 'has upper-case letters; region names are lower case', fix: lower };
  const zone = /^([a-z]{2}(-[a-z]+)+-\d{1,2})[a-z]$/.exec(lower);
  if (zone) return { problem: 'is an availability zone, not a region', fix: zone[1] };
  return { problem: 'is not a region name such as us-east-1' };
}

/** A region value from a setting or an environment variable (`source` names which). */
export function checkRegion(value: string, source: string): string {
  const found = regionProblem(value);
  if (!found) return value;
  throw new SettingsError(
    `${source} ${quote(value)} ${found.problem}.`,
    source,
    'invalid',
    found.fix ? `Did you mean "${found.fix}"?` : 'Region names look like us-east-1 or eu-west-2.',
  );
}

export const region: SettingParser<string | undefined> = (raw, key) => {
  const value = name()(raw, key);
  return value === undefined ? undefined : checkRegion(value, key);
};

/** CloudFormation's rule for stack names, with the setting named (the stack name check quotes nothing unbounded). */
export const stackName: SettingParser<string | undefined> = (raw, key) => {
  const value = name()(raw, key);
  if (value === undefined) return undefined;
  const problem = stackNameProblem(value);
  if (problem)
    throw new SettingsError(
      `${key} ${quote(value)} ${problem}.`,
      key,
      'invalid',
      "Stack names start with a letter and hold only letters, digits and '-' (at most 128).",
    );
  return value;
};

/** Known capabilities only: CloudFormation would reject an unknown one after staging began. */
export const capabilities: SettingParser<string[]> = (raw, key) => {
  if (raw === undefined) return [];
  const valid = VALID_CAPABILITIES.join(', ');
  if (!Array.isArray(raw)) {
    const example = typeof raw === 'string' && VALID_CAPABILITIES.includes(raw.trim()) ? raw.trim() : CAPABILITY_IAM;
    throw new SettingsError(
      `${key} must be a list of capabilities, e.g. ["${example}"], not ${describeValue(raw)}.`,
      key,
      'invalid',
      `Write "${key}": ["${example}"]. Valid capabilities: ${valid}.`,
    );
  }
  return raw.map((entry: unknown, index) => {
    if (typeof entry !== 'string') {
      throw new SettingsError(
        `${key}[${index}] must be a capability name (a string), not ${describeValue(entry)}.`,
        key,
        'invalid',
        `Valid capabilities: ${valid}.`,
      );
    }
    if (VALID_CAPABILITIES.includes(entry)) return entry;
    const near = VALID_CAPABILITIES.find((c) => c === entry.trim().toUpperCase());
    throw new SettingsError(
      `${key} has an unknown capability ${quote(entry)}; the valid ones are ${valid}.`,
      key,
      'invalid',
      near ? `Did you mean "${near}"?` : `Remove it, or use one of ${valid}.`,
    );
  });
};

/**
 * Parameter values by name. Numbers and true/false are what people mean as strings; a list of
 * scalars is a CommaDelimitedList. Anything else is refused rather than deploying with the
 * template's defaults. Values are never quoted, since each may be a NoEcho secret.
 */
export const parameters: SettingParser<Record<string, string>> = (raw, key) => {
  const given = object('{ "Stage": "dev" }', { holdsSecrets: true })(raw, key);
  const values: Record<string, string> = {};
  for (const [parameter, value] of Object.entries(given)) {
    const converted = parameterValue(value);
    if (converted === undefined) {
      throw new SettingsError(
        `${key} sets ${quote(parameter)} to ${describeKind(value)}; a parameter value must be a string, a number, true/false, or a list of those (for a CommaDelimitedList).`,
        key,
        'invalid',
        `Write it as a string, e.g. "${parameter.length <= 40 ? parameter : 'Name'}": "value".`,
      );
    }
    values[parameter] = converted;
  }
  return values;
};

function parameterValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) return value.join(',');
  return undefined;
}
