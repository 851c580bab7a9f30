/**
 * The checks CloudFormation applies to a parameter value, run before anything is sent so the
 * message can say where the value came from. Each returns a phrase to finish "Parameter X: …".
 */
import type { TemplateParameter } from './templateDocument';

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

export function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

export function constraintViolation(declaration: TemplateParameter, value: string): string | undefined {
  const { Type: type } = declaration;
  const items = isListType(type) ? value.split(',').map((item) => item.trim()) : [value];
  const each = (item: string): string => (isListType(type) ? `item "${item}"` : 'the value');

  if (type === 'Number' || type === 'List<Number>') {
    const bad = items.find((item) => !NUMBER.test(item.trim()));
    if (bad !== undefined) return `${each(bad)} is not a number (Type: ${type}).`;
  }
  if (declaration.AllowedValues && declaration.AllowedValues.length > 0) {
    const allowed = declaration.AllowedValues;
    const bad = items.find((item) => !allowed.includes(item));
    if (bad !== undefined) return `${each(bad)} is not one of the AllowedValues: ${allowed.join(', ')}.`;
  }
  if (declaration.AllowedPattern !== undefined && (type === 'String' || type === 'CommaDelimitedList')) {
    const pattern = fullMatch(declaration.AllowedPattern);
    const bad = pattern ? items.find((item) => !pattern.test(item)) : undefined;
    if (bad !== undefined) return `${each(bad)} does not match the AllowedPattern ${declaration.AllowedPattern}.`;
  }
  if (type === 'String') {
    if (declaration.MinLength !== undefined && value.length < declaration.MinLength) {
      return `the value is ${value.length} characters long, shorter than the MinLength of ${declaration.MinLength}.`;
    }
    if (declaration.MaxLength !== undefined && value.length > declaration.MaxLength) {
      return `the value is ${value.length} characters long, longer than the MaxLength of ${declaration.MaxLength}.`;
    }
  }
  if (type === 'Number') {
    const number = Number(value.trim());
    if (declaration.MinValue !== undefined && number < declaration.MinValue) return `${value.trim()} is less than the MinValue of ${declaration.MinValue}.`;
    if (declaration.MaxValue !== undefined && number > declaration.MaxValue) return `${value.trim()} is more than the MaxValue of ${declaration.MaxValue}.`;
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
