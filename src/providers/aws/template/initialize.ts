/**
 * The machine's `initialize` step for CloudFormation: everything that can be checked in the
 * workspace, cheapest and most precise first, so bad input fails in seconds with a file and
 * line instead of minutes later in a change set. cfn-lint, which takes seconds, is not run here:
 * this step announces it (`check`), and the machine runs it beside staging (lintCheck.ts).
 */
import { basename } from 'node:path';
import * as l10n from '@vscode/l10n';
import { AWS_SETTING_KEYS, type AwsStackSettings } from '../settings';
import type { TemplateInitializer } from '../../descriptor';
import { isProviderError, type ProviderError, type TargetCondition, type TargetRef } from '../../provider';
import { TEMPLATE_BODY_LIMIT_BYTES } from '../templateLocation';
import { inferCapabilities, mergeCapabilities } from './capabilities';
import { cfnLintCheckLabel, cfnLintNote } from './lintCheck';
import { loadTemplate, type LoadedTemplate } from './loadTemplate';
import { readProvidedValues, requiredWithoutValue, resolveParameters } from './parameters';
import { excerpt } from './excerpt';
import { sensitiveOutputKeys } from './sensitiveOutputs';
import { assertValidStackName } from './stackName';
import { InputError } from '../../../input/inputError';
import type { ValidateRequest, ValidateResult } from './validation';
import { ValidatedCapabilities, validationKey, type ValidationSource } from './validatedCapabilities';
import type { ProviderMemory } from '../../descriptor';

/** CloudFormation's limit for a template read from S3 (1 MB). */
export const TEMPLATE_URL_LIMIT_BYTES = 1_048_576;

export interface TemplateValidator {
  validate(req: ValidateRequest): Promise<ValidateResult>;
}

export interface TemplateInitializerOptions {
  /**
   * Asked only when some parameter has no value and no Default (or asks for its previous
   * value): on a 'ready' stack it keeps its previous value, otherwise it is an error. Without
   * this callback the stack is assumed not to exist, so such parameters are reported as missing.
   */
  describeCondition?: (target: TargetRef, signal: AbortSignal) => Promise<TargetCondition>;
  /** How messages name files (e.g. workspace-relative); defaults to the file name. */
  displayPath?: (absPath: string) => string;
  /**
   * The workspace folder the settings belong to: a template or parameters file reached through
   * a symlink must stay inside it. Without it, symlinks are followed wherever they lead.
   */
  workspaceFolder?: string;
  /**
   * Where the capabilities ValidateTemplate named are remembered by the template's text
   * (validatedCapabilities.ts), with the endpoint they came from; without it, every deploy asks.
   */
  memory?: ProviderMemory;
  endpoint?: ValidationSource;
}

export function createTemplateInitializer(
  settings: AwsStackSettings,
  validator: TemplateValidator,
  options: TemplateInitializerOptions = {},
): TemplateInitializer {
  const displayPath = options.displayPath ?? basename;

  return async (input, signal) => {
    signal.throwIfAborted();
    assertValidStackName(input.target.name);

    const files = { workspaceFolder: options.workspaceFolder };
    const template = await loadTemplate(settings.templatePath, displayPath(settings.templatePath), files);
    signal.throwIfAborted();
    checkSize(template, settings.templateBucket);

    const provided = await readProvidedValues(settings, displayPath, files);
    signal.throwIfAborted();
    const needsPrevious = requiredWithoutValue(template, provided).length > 0 || [...provided.values()].some((value) => value.usePrevious);
    const stackExists = needsPrevious && options.describeCondition ? (await options.describeCondition(input.target, signal)) === 'ready' : false;
    signal.throwIfAborted();
    const { parameters, warnings: parameterWarnings } = resolveParameters(template, provided, { stackExists });

    const required = await requiredCapabilities(validator, template, input.target, signal, options);

    return {
      template: template.source,
      parameters,
      capabilities: mergeCapabilities(inferCapabilities(template.document), required, settings.capabilities),
      warnings: parameterWarnings,
      sensitiveOutputs: sensitiveOutputKeys(template.document),
      check: settings.cfnLint === 'off' ? { label: cfnLintCheckLabel(), skipped: cfnLintNote('turnedOff') } : { label: cfnLintCheckLabel() },
    };
  };
}

/** What ValidateTemplate says the template needs; remembered for an unchanged template when there is memory. */
async function requiredCapabilities(
  validator: TemplateValidator,
  template: LoadedTemplate,
  target: TargetRef,
  signal: AbortSignal,
  options: TemplateInitializerOptions,
): Promise<string[]> {
  const remembered = options.memory ? new ValidatedCapabilities(options.memory) : undefined;
  const key = validationKey(options.endpoint ?? { region: target.region }, template.source.body);
  const known = remembered?.get(key);
  if (known) return known;
  let validated: ValidateResult;
  try {
    validated = await validator.validate({ target, template: template.source, signal });
  } catch (error) {
    if (isProviderError(error) && error.code === 'Validation') throw rejectedTemplate(error, template);
    throw error;
  }
  await remembered?.put(key, validated.requiredCapabilities);
  return validated.requiredCapabilities;
}

function checkSize(template: LoadedTemplate, bucket: string | undefined): void {
  const { sizeBytes, path } = template.source;
  const size = (bytes: number): string => bytes.toLocaleString('en-US');
  const where = { file: template.absPath, displayFile: path };
  if (sizeBytes > TEMPLATE_URL_LIMIT_BYTES) {
    throw new InputError(
      l10n.t('The template is {0} bytes; CloudFormation accepts at most {1} bytes (1 MB), even from S3.', size(sizeBytes), size(TEMPLATE_URL_LIMIT_BYTES)),
      {
        ...where,
        hint: l10n.t('Split it into nested stacks (AWS::CloudFormation::Stack).'),
      },
    );
  }
  if (sizeBytes > TEMPLATE_BODY_LIMIT_BYTES && !bucket) {
    throw new InputError(
      l10n.t(
        'The template is {0} bytes; CloudFormation accepts at most {1} bytes inline. Set {2} to an S3 bucket Stackwatch may upload it to.',
        size(sizeBytes),
        size(TEMPLATE_BODY_LIMIT_BYTES),
        AWS_SETTING_KEYS.templateBucket,
      ),
      {
        ...where,
        setting: AWS_SETTING_KEYS.templateBucket,
        hint: l10n.t('Name a bucket in {0} (same region as the stack), or make the template smaller.', AWS_SETTING_KEYS.templateBucket),
      },
    );
  }
}

/** CloudFormation's messages name logical IDs but never lines; add the line when the ID is ours. */
function rejectedTemplate(error: ProviderError, template: LoadedTemplate): InputError {
  const words = error.message.match(/[A-Za-z0-9]+/g) ?? [];
  const { Resources, Parameters } = template.document;
  const resource = words.find((word) => Object.hasOwn(Resources, word));
  const parameter = resource ? undefined : words.find((word) => Object.hasOwn(Parameters, word));
  const line = resource ? template.lineOf('Resources', resource) : parameter ? template.lineOf('Parameters', parameter) : undefined;
  return new InputError(l10n.t('CloudFormation rejected the template: {0}', excerpt(error.message, 400)), {
    file: template.absPath,
    displayFile: template.source.path,
    line,
    hint: error.details.hint,
    cause: error,
  });
}
