/**
 * The checks CloudFormation applies to a parameter value, run before anything is sent so the
 * message can say where the value came from. Each returns a sentence to follow "Parameter X: "
 * (it starts in lower case).
 */
import * as l10n from '@vscode/l10n';
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
  /** One sentence per way of naming the value: the whole value, a secret list's item by number, or a list item quoted. */
  const about = (item: string, sentences: { value: () => string; numbered: (position: number) => string; quoted: (quotedItem: string) => string }): string => {
    if (!isListType(type)) return sentences.value();
    return secret ? sentences.numbered(items.indexOf(item) + 1) : sentences.quoted(excerpt(item));
  };

  if (type === 'Number' || type === 'List<Number>') {
    const bad = items.find((item) => !NUMBER.test(item.trim()));
    if (bad !== undefined)
      return about(bad, {
        value: () => l10n.t('the value is not a number (Type: {0}).', type),
        numbered: (position) => l10n.t('item {0} is not a number (Type: {1}).', position, type),
        quoted: (quotedItem) => l10n.t('item "{0}" is not a number (Type: {1}).', quotedItem, type),
      });
  }
  if (declaration.AllowedValues && declaration.AllowedValues.length > 0) {
    const allowed = declaration.AllowedValues;
    const bad = items.find((item) => !allowed.includes(item));
    const list = excerpt(allowed.join(', '), 200);
    if (bad !== undefined)
      return about(bad, {
        value: () => l10n.t('the value is not one of the AllowedValues: {0}.', list),
        numbered: (position) => l10n.t('item {0} is not one of the AllowedValues: {1}.', position, list),
        quoted: (quotedItem) => l10n.t('item "{0}" is not one of the AllowedValues: {1}.', quotedItem, list),
      });
  }
  if (declaration.AllowedPattern !== undefined && (type === 'String' || type === 'CommaDelimitedList')) {
    const pattern = fullMatch(declaration.AllowedPattern);
    const bad = pattern ? items.find((item) => !pattern.test(item)) : undefined;
    const shownPattern = excerpt(declaration.AllowedPattern, 120);
    if (bad !== undefined)
      return about(bad, {
        value: () => l10n.t('the value does not match the AllowedPattern {0}.', shownPattern),
        numbered: (position) => l10n.t('item {0} does not match the AllowedPattern {1}.', position, shownPattern),
        quoted: (quotedItem) => l10n.t('item "{0}" does not match the AllowedPattern {1}.', quotedItem, shownPattern),
      });
  }
  if (type === 'String') {
    // A secret's length is not told.
    if (declaration.MinLength !== undefined && value.length < declaration.MinLength) {
      return secret
        ? l10n.t('the value is shorter than the MinLength of {0}.', declaration.MinLength)
        : l10n.t('the value is {0} characters long, shorter than the MinLength of {1}.', value.length, declaration.MinLength);
    }
    if (declaration.MaxLength !== undefined && value.length > declaration.MaxLength) {
      return secret
        ? l10n.t('the value is longer than the MaxLength of {0}.', declaration.MaxLength)
        : l10n.t('the value is {0} characters long, longer than the MaxLength of {1}.', value.length, declaration.MaxLength);
    }
  }
  if (type === 'Number') {
    const number = Number(value.trim());
    const shown = excerpt(value.trim());
    if (declaration.MinValue !== undefined && number < declaration.MinValue) {
      return secret
        ? l10n.t('the value is less than the MinValue of {0}.', declaration.MinValue)
        : l10n.t('{0} is less than the MinValue of {1}.', shown, declaration.MinValue);
    }
    if (declaration.MaxValue !== undefined && number > declaration.MaxValue) {
      return secret
        ? l10n.t('the value is more than the MaxValue of {0}.', declaration.MaxValue)
        : l10n.t('{0} is more than the MaxValue of {1}.', shown, declaration.MaxValue);
    }
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
