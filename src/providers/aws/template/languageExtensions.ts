/**
 * Functions that exist only under the AWS::LanguageExtensions transform. Without it,
 * CloudFormation rejects the template with a line-less "Template format error"; here the
 * message points at the first use.
 */
import * as l10n from '@vscode/l10n';
import type { Locator, ValuePath } from './locator';
import type { TextOrigin } from './structuredText';
import { isRecord, type TemplateDocument } from './templateDocument';
import { InputError } from '../../../input/inputError';

export const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

function needsLanguageExtensions(key: string): string | undefined {
  if (key.startsWith('Fn::ForEach')) return 'Fn::ForEach';
  if (key === 'Fn::Length' || key === 'Fn::ToJsonString') return key;
  return undefined;
}

export function checkLanguageExtensions(document: TemplateDocument, locator: Locator, origin: TextOrigin): void {
  if (document.Transform.includes(LANGUAGE_EXTENSIONS)) return;
  const use = firstUse(document.raw, []);
  if (!use) return;
  const position = locator.positionOf(use.path);
  throw new InputError(
    l10n.t('{0} needs the {1} transform, and this template does not declare it. CloudFormation rejects the template.', use.name, LANGUAGE_EXTENSIONS),
    {
      file: origin.file,
      displayFile: origin.displayFile,
      line: position?.line ?? locator.nearestLine(use.path),
      column: position?.column,
      hint: l10n.t('Add "Transform: {0}" at the top level of the template.', LANGUAGE_EXTENSIONS),
    },
  );
}

/** Depth-first in document order, so the first use in the file is the one reported. */
function firstUse(node: unknown, path: ValuePath): { name: string; path: ValuePath } | undefined {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) {
      const found = firstUse(item, [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(node)) return undefined;
  for (const [key, value] of Object.entries(node)) {
    const name = needsLanguageExtensions(key);
    if (name) return { name, path: [...path, key] };
    const found = firstUse(value, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
