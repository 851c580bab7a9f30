/**
 * Input values cross the port as strings (ParameterValue): a `string` variable's value as is,
 * anything else JSON-encoded. These two functions are the only place that knows it.
 */
import * as l10n from '@vscode/l10n';
import { ProviderError, type ParameterValue } from '../provider';
import type { BlueprintVariable } from './blueprint';

export function encodeInputValue(variable: BlueprintVariable | undefined, value: unknown): string {
  if (variable?.kind === 'string' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return JSON.stringify(value);
}

/** A `sensitive = true` variable's value is marked secret: shown, logged and persisted nowhere. */
export function toParameterValues(variables: readonly BlueprintVariable[], values: Readonly<Record<string, unknown>>): ParameterValue[] {
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  return Object.keys(values)
    .sort()
    .map((key) => {
      const variable = byName.get(key);
      return { key, value: encodeInputValue(variable, values[key]), ...(variable?.sensitive ? { secret: true } : {}) };
    });
}

/** The `inputValues` map Infrastructure Manager takes, from the port's parameters. */
export function toInputValues(variables: readonly BlueprintVariable[], parameters: readonly ParameterValue[]): Record<string, { inputValue: unknown }> {
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  const result: Record<string, { inputValue: unknown }> = {};
  for (const parameter of parameters) {
    const variable = byName.get(parameter.key);
    if (!variable) throw new ProviderError('Validation', l10n.t('"{0}" is not a variable of the blueprint.', parameter.key));
    if (parameter.usePrevious)
      throw new ProviderError('Validation', l10n.t('Infrastructure Manager has no "previous value" for "{0}": give it a value.', parameter.key));
    if (variable.kind === 'string') {
      result[parameter.key] = { inputValue: parameter.value };
      continue;
    }
    try {
      result[parameter.key] = { inputValue: JSON.parse(parameter.value) as unknown };
    } catch (cause) {
      // The value itself stays out of the message when it is a secret.
      // JSON.parse's own message quotes the text, so a secret's parse error is not kept as the cause either.
      const secret = variable.sensitive || parameter.secret === true;
      const shown = secret ? l10n.t('(sensitive value not shown)') : parameter.value.slice(0, 60);
      throw new ProviderError(
        'Validation',
        l10n.t('The value of "{0}" ({1}) is not valid JSON: {2}', parameter.key, variable.typeExpression ?? variable.kind, shown),
        secret ? {} : { cause },
      );
    }
  }
  return result;
}
