/**
 * The checks CloudFormation applies to a parameter value, run before anything is sent so the
 * message can say where the value came from. Each returns a phrase to finish "Parameter X: …".
 */
import { excerpt } from './excerpt';
import type { TemplateParameter } from './templateDocument';

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

/**
 * A NoEcho parameter's value (`declaration.NoEcho`) is never quoted, not even its length:
 * the phrase goes into messages that are shown, logged and kept in history.
 */
export function constraintViolation(declaration: TemplateParameter, value: string): string | undefined {
  const { Type: type } = declaration;
  const secret = declaration.NoEcho === true;
  const items = isListType(type) ? value.split(',').map((item) => item.trim()) : [value];
  const each = (item: string): string => {
    if (!isListType(type)) return 'the value';
    return secret ? `item ${items.indexOf(item) + 1}` : `item "${excerpt(item)}"`;
  };

  if (type === 'Number' || type === 'List<Number>') {
    const bad = items.find((item) => !NUMBER.test(item.trim()));
    if (bad !== undefined) return `${each(bad)} is not a number (Type: ${type}).`;
  }
  if (declaration.AllowedValues && declaration.AllowedValues.length > 0) {
    const allowed = declaration.AllowedValues;
    const bad = items.find((item) => !allowed.includes(item));
    if (bad !== undefined) return `${each(bad)} is not one of the AllowedValues: ${excerpt(allowed.join(', '), 200)}.`;
  }
  if (declaration.AllowedPattern !== undefined && (type === 'String' || type === 'CommaDelimitedList')) {
    const pattern = fullMatch(declaration.AllowedPattern);
    const bad = pattern ? items.find((item) => !pattern.test(item)) : undefined;
    if (bad !== undefined) return `${each(bad)} does not match the AllowedPattern ${excerpt(declaration.AllowedPattern, 120)}.`;
  }
  if (type === 'String') {
    const length = secret ? '' : ` ${value.length} characters long,`;
    if (declaration.MinLength !== undefined && value.length < declaration.MinLength) {
      return `the value is${length} shorter than the MinLength of ${declaration.MinLength}.`;
    }
    if (declaration.MaxLength !== undefined && value.length > declaration.MaxLength) {
      return `the value is${length} longer than the MaxLength of ${declaration.MaxLength}.`;
    }
  }
  if (type === 'Number') {
    const number = Number(value.trim());
    const shown = secret ? 'the value' : excerpt(value.trim());
    if (declaration.MinValue !== undefined && number < declaration.MinValue) return `${shown} is less than the MinValue of ${declaration.MinValue}.`;
    if (declaration.MaxValue !== undefined && number > declaration.MaxValue) return `${shown} is more than the MaxValue of ${declaration.MaxValue}.`;
  }
  return undefined;
}

/**
 * CloudFormation matches AllowedPattern with Java regular expressions against the whole value.
 * A pattern JavaScript cannot read the same way is not checked here (CloudFormation still
 * checks it): a false alarm would block a valid deployment.
 */
function fullMatch(pattern: string): RegExp | undefined {
  const anchored = `^(?:${pattern})$`;
  try {
    return new RegExp(anchored, 'u');
  } catch {
    if (/\\[pP]\{|\\[AZzG]|[*+?}]\+/.test(pattern)) return undefined;
    try {
      return new RegExp(anchored);
    } catch {
      return undefined;
    }
  }
}
