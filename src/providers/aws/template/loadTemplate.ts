/**
 * Reads a CloudFormation template from disk and checks what can be checked without a cloud:
 * syntax, shape, and references. `source.body` is the exact text on disk, which is what gets
 * submitted, so what was checked is what is deployed.
 */
import { basename } from 'node:path';
import type { TemplateSource } from '../../provider';
import { AWS_SETTING_KEYS } from '../settings';
import { checkLanguageExtensions } from './languageExtensions';
import type { ValuePath } from './locator';
import { checkReferences } from './references';
import { readSourceFile } from './sourceFile';
import { detectFormat, parseStructuredText, type TextOrigin } from './structuredText';
import { toTemplateDocument, type TemplateDocument } from './templateDocument';

export type { TemplateDocument, TemplateParameter, TemplateResource } from './templateDocument';

export interface LoadedTemplate {
  source: TemplateSource;
  document: TemplateDocument;
  /** Absolute path on disk; `source.path` is the display path used in messages. */
  absPath: string;
  /** 1-based line of a key in a top-level section, e.g. ('Resources', 'Queue'). */
  lineOf(section: string, key: string): number | undefined;
  /** 1-based line of any parsed path, or of its nearest ancestor when the exact path has no position. */
  lineAt(path: ValuePath): number | undefined;
}

export interface LoadOptions {
  /** Symlinks may not lead outside this folder (see workspaceBoundary.ts). */
  workspaceFolder?: string;
}

/** `displayPath` is how messages name the file (a workspace-relative path); it defaults to the file name. */
export async function loadTemplate(absPath: string, displayPath: string = basename(absPath), options: LoadOptions = {}): Promise<LoadedTemplate> {
  const text = await readSourceFile({
    absPath,
    displayFile: displayPath,
    setting: AWS_SETTING_KEYS.templatePath,
    what: 'template',
    workspaceFolder: options.workspaceFolder,
  });
  const origin: TextOrigin = { file: absPath, displayFile: displayPath };
  const format = detectFormat(absPath, text);
  const { value, locator } = parseStructuredText(text, format, origin);
  const document = toTemplateDocument(value, locator, origin);
  checkLanguageExtensions(document, locator, origin);
  checkReferences(document, locator, origin);
  return {
    source: { path: displayPath, body: text, format, sizeBytes: Buffer.byteLength(text, 'utf8') },
    document,
    absPath,
    lineOf: (section, key) => locator.positionOf([section, key])?.line,
    lineAt: (path) => locator.nearestLine(path),
  };
}
