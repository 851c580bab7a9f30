/**
 * Where a finding or a failure lands in the template: the runtime's `locate`. A pointer names a
 * resource (a row key, "Network/Subnet" inside a nested stack) and a path, either from the
 * template's root ("/Resources/Bucket/Properties/BucketName", CloudFormation's ValidationPath)
 * or from the resource ("Properties.Tags[0].Value", a failure's property). The answer is the
 * deepest part of the path the template has, else the resource's logical ID; for a nested
 * stack whose TemplateURL is a workspace file, inside that file.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { InputLocation, InputPointer } from '../../descriptor';
import type { TemplateSource } from '../../provider';
import type { Locator, ValuePath } from './locator';
import { isInside } from '../../../input/workspaceBoundary';
import { nestedTemplateFiles } from '../nestedTemplates';
import { detectFormat, parseStructuredText } from './structuredText';
import { isRecord } from './templateDocument';

/** A template parsed once for locating: its value and where each path is. */
interface Located {
  value: unknown;
  locator: Locator;
  text: string;
  /** Absolute path of the file (the root template's as the workspace places it). */
  file: string;
  /** The deployment's own template: its locations name no file. */
  root: boolean;
}

/** Parsed texts by content: diagnostics place every failure of a deployment against the same few files. */
const parsedByText = new Map<string, { value: unknown; locator: Locator } | undefined>();
const MAX_CACHED = 8;

function parse(text: string, format: 'yaml' | 'json', file: string): { value: unknown; locator: Locator } | undefined {
  if (parsedByText.has(text)) return parsedByText.get(text);
  let parsed: { value: unknown; locator: Locator } | undefined;
  try {
    const { value, locator } = parseStructuredText(text, format, { file, displayFile: file });
    parsed = { value, locator };
  } catch {
    // A template that no longer parses (edited since) has no lines to point at.
    parsed = undefined;
  }
  if (parsedByText.size >= MAX_CACHED) parsedByText.delete(parsedByText.keys().next().value as string);
  parsedByText.set(text, parsed);
  return parsed;
}

function readTemplateFile(file: string): Located | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parse(text, detectFormat(file, text), file);
  return parsed && { ...parsed, text, file, root: false };
}

/** "Properties.Tags[0].Value" → ['Properties', 'Tags', 0, 'Value']. */
export function resourcePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    if (match[1] !== '') segments.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** "/Resources/Bucket/Properties/Tags/0" → ['Resources', 'Bucket', 'Properties', 'Tags', '0'] (RFC 6901 escapes undone). */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Segments as the parsed value has them: list indexes are numbers, mapping keys stay strings. */
function typedPath(value: unknown, segments: readonly (string | number)[]): ValuePath {
  const path: (string | number)[] = [];
  let node = value;
  for (const segment of segments) {
    const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : undefined;
    if (Array.isArray(node) && index !== undefined) {
      path.push(index);
      node = node[index];
    } else {
      const key = String(segment);
      path.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return path;
}

function at(template: Located, path: ValuePath): InputLocation | undefined {
  const position = template.locator.positionOf(path);
  if (!position) return undefined;
  return template.root ? { line: position.line, column: position.column } : { file: template.file, line: position.line, column: position.column };
}

/** The deepest prefix of `path`, at least `minimum` segments long, that the template has. */
function deepest(template: Located, path: ValuePath, minimum: number): InputLocation | undefined {
  for (let length = path.length; length >= minimum; length--) {
    const found = at(template, path.slice(0, length));
    if (found) return found;
  }
  return undefined;
}

/**
 * The template a nested stack resource points at, when its TemplateURL is a workspace file (the
 * same rule staging packages them by); never a file outside the workspace.
 */
function nestedTemplate(parent: Located, logicalId: string, workspaceFolder: string | undefined): Located | undefined {
  const file = nestedTemplateFiles(parent.text, parent.file).get(logicalId);
  if (file === undefined || (workspaceFolder !== undefined && !isInside(resolve(workspaceFolder), file))) return undefined;
  return readTemplateFile(file);
}

export interface LocateOptions {
  workspaceFolder?: string;
}

export function locate(template: TemplateSource, pointer: InputPointer, options: LocateOptions): InputLocation | undefined {
  if (template.format === 'folder') return undefined;
  const rootFile = isAbsolute(template.path) || !options.workspaceFolder ? template.path : resolve(options.workspaceFolder, template.path);
  const parsed = parse(template.body, template.format, rootFile);
  if (!parsed) return undefined;
  let current: Located = { ...parsed, text: template.body, file: rootFile, root: true };
  const chain = pointer.logicalId?.split('/').filter((id) => id !== '') ?? [];
  // Down the nested stacks: each parent's TemplateURL, while it is a workspace file.
  for (let depth = 0; depth < chain.length - 1; depth++) {
    const child = nestedTemplate(current, chain[depth], options.workspaceFolder);
    // A nested template that is not a workspace file: the best place is the parent's own line.
    if (!child) return at(current, ['Resources', chain[depth]]);
    current = child;
  }
  const leaf = chain[chain.length - 1];
  const resourceLine = leaf === undefined ? undefined : at(current, ['Resources', leaf]);
  if (pointer.path) {
    const relative = !pointer.path.startsWith('/');
    if (relative && leaf === undefined) return undefined;
    const segments = relative ? ['Resources', leaf ?? '', ...resourcePath(pointer.path)] : pointerSegments(pointer.path);
    const path = typedPath(current.value, segments);
    // Deeper than the section: a section's own line ("Resources:") says less than the resource's.
    const found = deepest(current, path, 2);
    if (found) return found;
  }
  return resourceLine;
}
