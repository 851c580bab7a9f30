/**
 * The parameter values that will be submitted: provided values checked against the template's
 * constraints, Defaults left for CloudFormation to apply, and UsePreviousValue for what an
 * existing stack already has.
 */
import * as l10n from '@vscode/l10n';
import type { ParameterValue } from '../../provider';
import { AWS_SETTING_KEYS } from '../settings';
import { closestMatch } from '../../../input/editDistance';
import { excerpt, quoted } from './excerpt';
import type { LoadedTemplate } from './loadTemplate';
import { constraintViolation } from './parameterConstraints';
import type { ProvidedValue, ProvidedValues } from './parameterSources';
import { asSentence, moreProblemsSentence, PARAMETER_PROBLEMS } from './moreProblems';
import { InputError, type InputErrorLocation } from '../../../input/inputError';

export { readParametersFile, readProvidedValues, type ParameterSettings, type ProvidedValue, type ProvidedValues, type ValueOrigin } from './parameterSources';

export interface ResolvedParameters {
  /** In template declaration order. Parameters left to their Default are not listed. */
  parameters: ParameterValue[];
  /** Values for parameters the template does not declare: shown, not sent. */
  warnings: string[];
}

export interface ResolveOptions {
  /** The stack exists and is updatable ('ready'), so a parameter without a value may keep its previous one. */
  stackExists: boolean;
}

interface Problem {
  reason: string;
  location: InputErrorLocation;
}

/** Parameters that have neither a provided value nor a Default: they need a previous value, or they are missing. */
export function requiredWithoutValue(template: LoadedTemplate, provided: ProvidedValues): string[] {
  return Object.entries(template.document.Parameters)
    .filter(([name, declaration]) => declaration.Default === undefined && !provided.has(name))
    .map(([name]) => name);
}

export function resolveParameters(template: LoadedTemplate, provided: ProvidedValues, options: ResolveOptions): ResolvedParameters {
  const declared = template.document.Parameters;
  const templateFile = { file: template.absPath, displayFile: template.source.path };
  const at = (name: string): string => {
    const line = template.lineOf('Parameters', name);
    return line === undefined ? template.source.path : `${template.source.path}:${line}`;
  };
  const parameters: ParameterValue[] = [];
  const problems: Problem[] = [];
  const missing: string[] = [];

  for (const [name, declaration] of Object.entries(declared)) {
    const given = provided.get(name);
    const shown = (value: string): string =>
      declaration.NoEcho
        ? l10n.t({ message: '(a NoEcho value)', comment: ['Shown instead of a secret parameter value, as in: Parameter DbPassword = (a NoEcho value) …'] })
        : quoted(value);
    // Marked so that nothing downstream shows, logs, records or persists the value.
    const secret = declaration.NoEcho === true ? { secret: true } : {};
    if (given?.usePrevious) {
      if (options.stackExists) parameters.push({ key: name, value: '', usePrevious: true, ...secret });
      else
        problems.push({
          reason: l10n.t(
            'Parameter {0} asks for its previous value ({1}), but the stack does not exist yet, so there is none. Give it a value.',
            name,
            given.origin.description,
          ),
          location: locationOf(given),
        });
      continue;
    }
    if (given?.value !== undefined) {
      const violation = constraintViolation(declaration, given.value);
      if (violation)
        problems.push({
          reason: declaration.ConstraintDescription
            ? l10n.t(
                'Parameter {0} = {1} (from {2}): {3} The template says: {4} Declared at {5}.',
                name,
                shown(given.value),
                given.origin.description,
                violation,
                explanation(declaration.ConstraintDescription),
                at(name),
              )
            : l10n.t('Parameter {0} = {1} (from {2}): {3} Declared at {4}.', name, shown(given.value), given.origin.description, violation, at(name)),
          location: locationOf(given, template, name),
        });
      parameters.push({ key: name, value: given.value, ...secret });
      continue;
    }
    if (declaration.Default !== undefined) {
      const violation = constraintViolation(declaration, declaration.Default);
      if (violation) {
        const line = template.lineAt(['Parameters', name, 'Default']);
        problems.push({
          reason: declaration.ConstraintDescription
            ? l10n.t(
                'Parameter {0}: its Default {1} fails its own constraint: {2} The template says: {3}',
                name,
                shown(declaration.Default),
                violation,
                explanation(declaration.ConstraintDescription),
              )
            : l10n.t('Parameter {0}: its Default {1} fails its own constraint: {2}', name, shown(declaration.Default), violation),
          location: { ...templateFile, line, hint: l10n.t('Fix the Default, or set {0} in {1}.', name, AWS_SETTING_KEYS.parameters) },
        });
      }
      continue;
    }
    if (options.stackExists) parameters.push({ key: name, value: '', usePrevious: true, ...secret });
    else missing.push(name);
  }

  if (missing.length > 0) {
    const names = missing.map((name) => l10n.t('{0} (declared at {1})', name, at(name))).join(', ');
    problems.unshift({
      reason:
        missing.length === 1
          ? l10n.t(
              'Parameter {0} has no value and no Default. Set it in {1}, or in the file named by {2}.',
              names,
              AWS_SETTING_KEYS.parameters,
              AWS_SETTING_KEYS.parametersFile,
            )
          : l10n.t(
              'Parameters {0} have no value and no Default. Set them in {1}, or in the file named by {2}.',
              names,
              AWS_SETTING_KEYS.parameters,
              AWS_SETTING_KEYS.parametersFile,
            ),
      location: {
        ...templateFile,
        line: template.lineOf('Parameters', missing[0]),
        setting: AWS_SETTING_KEYS.parameters,
        hint: l10n.t('For example "{0}": {1}', AWS_SETTING_KEYS.parameters, `{ ${missing.map((name) => `"${name}": "…"`).join(', ')} }`),
      },
    });
  }
  if (problems.length > 0) {
    const [first, ...others] = problems;
    // Each other problem with a place in a file goes to Problems there; one only in a setting is counted.
    const placed = others
      .filter((problem) => problem.location.file !== undefined)
      .map(({ reason, location }) => ({
        message: reason,
        line: location.line,
        column: location.column,
        ...(location.file !== first.location.file ? { file: location.file } : {}),
      }));
    const more = moreProblemsSentence(PARAMETER_PROBLEMS, placed, others.length - placed.length);
    throw new InputError(`${asSentence(first.reason)}${more}`, { ...first.location, moreProblems: placed });
  }

  const warnings = [...provided.values()]
    .filter((value) => !Object.hasOwn(declared, value.key))
    .map((value) => {
      const close = value.key.length <= 100 ? closestMatch(value.key, Object.keys(declared)) : undefined;
      return close
        ? l10n.t(
            '{0} sets parameter {1}, which {2} does not declare; it is not sent. Did you mean {3}?',
            value.origin.description,
            excerpt(value.key),
            template.source.path,
            close,
          )
        : l10n.t('{0} sets parameter {1}, which {2} does not declare; it is not sent.', value.origin.description, excerpt(value.key), template.source.path);
    });
  return { parameters, warnings };
}

/** The template's ConstraintDescription, as much of it as a message shows. */
function explanation(constraintDescription: string): string {
  return excerpt(constraintDescription, 160);
}

/**
 * A value from the parameters file points at its line there. A value from settings names the
 * setting and points at the declaration, where the constraint it broke is written.
 */
function locationOf(given: ProvidedValue, template?: LoadedTemplate, name?: string): InputErrorLocation {
  const { origin } = given;
  if (origin.file) return { file: origin.file, displayFile: origin.displayFile, line: origin.line, column: origin.column, setting: origin.setting };
  if (template && name)
    return { file: template.absPath, displayFile: template.source.path, line: template.lineOf('Parameters', name), setting: origin.setting };
  return { setting: origin.setting };
}
