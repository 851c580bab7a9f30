/**
 * The CloudFormation settings whose values have a shape beyond their JSON type: the region, the
 * stack name, capabilities and parameter values. Each refuses bad values here, before the values
 * reach the template step or the SDK (which took a non-string capability for `.trim()`).
 */
import * as l10n from '@vscode/l10n';
import { CAPABILITY_AUTO_EXPAND, CAPABILITY_IAM, CAPABILITY_NAMED_IAM } from './template/capabilities';
import { stackNameProblem } from './template/stackName';
import { describeKind, describeValue, quote } from '../../config/describeValue';
import { SettingsError } from '../../config/settingsError';
import { name, object, type SettingParser } from '../../config/settingTypes';

export const VALID_CAPABILITIES: readonly string[] = [CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND];

/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1… */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Why the region name is not one, with a likely fix; undefined when it has a region's shape.
 * `problem` is a whole clause about `subject` (the quoted value, or the setting and its value).
 */
export function regionProblem(value: string, subject: string = quote(value)): { problem: string; fix?: string } | undefined {
  if (REGION.test(value)) return undefined;
  const lower = value.toLowerCase();
  if (REGION.test(lower)) return { problem: l10n.t('{0} has upper-case letters; region names are lower case', subject), fix: lower };
  const zone = /^([a-z]{2}(-[a-z]+)+-\d{1,2})[a-z]$/.exec(lower);
  if (zone) return { problem: l10n.t('{0} is an availability zone, not a region', subject), fix: zone[1] };
  return { problem: l10n.t('{0} is not a region name such as us-east-1', subject) };
}

/** A region value from a setting or an environment variable (`source` names which). */
export function checkRegion(value: string, source: string): string {
  const found = regionProblem(value, `${source} ${quote(value)}`);
  if (!found) return value;
  throw new SettingsError(
    `${found.problem}.`,
    source,
    'invalid',
    found.fix ? l10n.t('Did you mean "{0}"?', found.fix) : l10n.t('Region names look like us-east-1 or eu-west-2.'),
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
      l10n.t("Stack names start with a letter and hold only letters, digits and '-' (at most 128)."),
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
      l10n.t('{0} must be a list of capabilities, e.g. ["{1}"], not {2}.', key, example, describeValue(raw)),
      key,
      'invalid',
      l10n.t('Write "{0}": ["{1}"]. Valid capabilities: {2}.', key, example, valid),
    );
  }
  return raw.map((entry: unknown, index) => {
    if (typeof entry !== 'string') {
      throw new SettingsError(
        l10n.t('{0}[{1}] must be a capability name (a string), not {2}.', key, index, describeValue(entry)),
        key,
        'invalid',
        l10n.t('Valid capabilities: {0}.', valid),
      );
    }
    if (VALID_CAPABILITIES.includes(entry)) return entry;
    const near = VALID_CAPABILITIES.find((c) => c === entry.trim().toUpperCase());
    throw new SettingsError(
      l10n.t('{0} has an unknown capability {1}; the valid ones are {2}.', key, quote(entry), valid),
      key,
      'invalid',
      near ? l10n.t('Did you mean "{0}"?', near) : l10n.t('Remove it, or use one of {0}.', valid),
    );
  });
};

/**
 * Parameter values by name. Numbers and true/false are what people mean as strings; a list of
 * scalars is a CommaDelimitedList. Anything else is refused rather than deploying with the
 * template's defaults. Values are never quoted, since each may be a NoEcho secret.
 */
export const parameters: SettingParser<Record<string, string>> = (raw, key) => {
  const given = object('{ "Stage": "dev" }', { holdsSecrets: true })(raw, key); // l10n-exempt: a JSON example of the setting's value, written as it must be typed
  const values: Record<string, string> = {};
  for (const [parameter, value] of Object.entries(given)) {
    const converted = parameterValue(value);
    if (converted === undefined) {
      throw new SettingsError(
        l10n.t(
          '{0} sets {1} to {2}; a parameter value must be a string, a number, true/false, or a list of those (for a CommaDelimitedList).',
          key,
          quote(parameter),
          describeKind(value),
        ),
        key,
        'invalid',
        l10n.t('Write it as a string, e.g. "{0}": "value".', parameter.length <= 40 ? parameter : 'Name'),
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
