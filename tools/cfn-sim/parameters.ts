/**
 * Parameter values for a change set: given values, UsePreviousValue, defaults, and the checks
 * CloudFormation makes before it accepts them.
 */
import { validationError } from './errors';
import type { ParameterDecl, Template } from './template';

export interface ParameterInput {
  key: string;
  value?: string;
  usePrevious: boolean;
}

/** Values in template order. List-typed values stay comma-joined, as on the wire. */
export function resolveParameterValues(template: Template, inputs: ParameterInput[], previous?: ReadonlyMap<string, string>): Map<string, string> {
  const declared = new Map(template.parameters.map((p) => [p.key, p]));
  const unknown = inputs.filter((i) => !declared.has(i.key)).map((i) => i.key);
  if (unknown.length > 0) throw validationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);

  const given = new Map(inputs.map((i) => [i.key, i]));
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const decl of template.parameters) {
    const input = given.get(decl.key);
    let value: string | undefined;
    if (input?.usePrevious) {
      value = previous?.get(decl.key);
      if (value === undefined) {
        throw validationError(
          `Invalid input for parameter key ${decl.key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      }
    } else {
      value = input?.value ?? decl.defaultValue;
    }
    if (value === undefined) {
      missing.push(decl.key);
      continue;
    }
    checkValue(decl, value);
    values.set(decl.key, value);
  }
  if (missing.length > 0) throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

function checkValue(decl: ParameterDecl, value: string): void {
  if (decl.allowedValues && !decl.allowedValues.includes(value)) throw validationError(`Parameter '${decl.key}' must be one of AllowedValues`);
  if (decl.allowedPattern !== undefined && !new RegExp(`^(?:${decl.allowedPattern})$`).test(value)) {
    throw validationError(`Parameter '${decl.key}' must match pattern ${decl.allowedPattern}`);
  }
  if (decl.type === 'Number' && (value.trim() === '' || Number.isNaN(Number(value)))) throw validationError(`Parameter '${decl.key}' must be a number.`);
}

export function displayValue(decl: ParameterDecl | undefined, value: string): string {
  return decl?.noEcho ? '****' : value;
}
