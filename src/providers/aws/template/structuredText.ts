/**
 * YAML or JSON text → value plus a Locator, for templates and parameters files alike.
 * Syntax errors become InputErrors at file:line:column.
 */
import { extname } from 'node:path';
import * as l10n from '@vscode/l10n';
import { parseCfnYaml } from './cfnYaml';
import { scanJson } from './jsonScan';
import { createLineIndex } from './lineIndex';
import { excerpt } from './excerpt';
import { createLocator, type Locator } from './locator';
import { isStackOverflow, nestingMessage, pathBeyondDepth } from './nesting';
import { InputError } from '../../../input/inputError';
import { yamlPathOffsets } from './yamlLocations';
import { asSentence, moreProblemsSentence, YAML_PROBLEMS } from './moreProblems';

export type TextFormat = 'yaml' | 'json';

export interface ParsedText {
  value: unknown;
  format: TextFormat;
  locator: Locator;
}

export interface TextOrigin {
  file: string;
  displayFile: string;
}

/** `.template` is used for both formats, so anything but .json/.yaml/.yml is sniffed. */
export function detectFormat(path: string, text: string): TextFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return /^\uFEFF?\s*[{[]/.test(text) ? 'json' : 'yaml';
}

export function parseStructuredText(text: string, format: TextFormat, origin: TextOrigin): ParsedText {
  return format === 'json' ? parseJsonText(text, origin) : parseYamlText(text, origin);
}

function parseYamlText(text: string, origin: TextOrigin): ParsedText {
  const parsed = parseCfnYaml(text);
  const [first, ...others] = parsed.errors;
  if (first) {
    // The library catches its own stack overflow and reports it as a YAML problem where it gave up.
    if (/Maximum call stack size exceeded/.test(first.message)) {
      throw new InputError(nestingMessage(first.line), { file: origin.file, displayFile: origin.displayFile, line: first.line });
    }
    // Every problem goes to the Problems panel at its own place; the message names the first and says where the others are.
    throw new InputError(`${asSentence(first.message)}${moreProblemsSentence(YAML_PROBLEMS, others)}`, {
      file: origin.file,
      displayFile: origin.displayFile,
      line: first.line,
      column: first.column,
      moreProblems: others.map(({ message, line, column }) => ({ message, line, column })),
    });
  }
  const locator = createLocator(yamlPathOffsets(parsed.document), createLineIndex(text));
  rejectDeepNesting(parsed.value, locator, origin);
  return { value: parsed.value, format: 'yaml', locator };
}

/** Stops the recursive checks that follow from overflowing on a value the parser still managed. */
function rejectDeepNesting(value: unknown, locator: Locator, origin: TextOrigin): void {
  const tooDeep = pathBeyondDepth(value);
  if (!tooDeep) return;
  const line = locator.nearestLine(tooDeep);
  throw new InputError(nestingMessage(line), { file: origin.file, displayFile: origin.displayFile, line });
}

function parseJsonText(text: string, origin: TextOrigin): ParsedText {
  const lines = createLineIndex(text);
  const at = (offset: number): { file: string; displayFile: string; line: number; column: number } => ({
    file: origin.file,
    displayFile: origin.displayFile,
    ...lines.position(offset),
  });
  const scan = scanJson(text);
  // Checked before JSON.parse, which would overflow on what the scanner stops at.
  if (!scan.ok && scan.tooDeep) {
    const position = at(scan.offset);
    throw new InputError(nestingMessage(position.line), position);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (isStackOverflow(error)) throw new InputError(nestingMessage(undefined), { file: origin.file, displayFile: origin.displayFile });
    const { offset, message } = jsonSyntaxProblem(scan, text, error);
    throw new InputError(l10n.t('JSON syntax error: {0}', message), at(offset));
  }
  if (scan.ok && scan.duplicate) {
    const { key, offset, firstOffset } = scan.duplicate;
    throw new InputError(
      l10n.t(
        'Duplicate key "{0}": it is already set at line {1}. JSON parsers keep only the last one, and CloudFormation rejects the template.',
        excerpt(key),
        lines.line(firstOffset),
      ),
      {
        ...at(offset),
        hint: l10n.t('Remove one of them, or merge their contents.'),
      },
    );
  }
  // JSON.parse accepted it, so the scan only lacks positions if the two disagree; values still work.
  const offsets = scan.ok ? scan.offsets : new Map<string, number>();
  return { value, format: 'json', locator: createLocator(offsets, lines) };
}

/** Prefers the scanner (it always has a position); falls back to what V8 said. */
function jsonSyntaxProblem(scan: ReturnType<typeof scanJson>, text: string, error: unknown): { offset: number; message: string } {
  if (!scan.ok) return { offset: scan.offset, message: scan.message };
  const raw = error instanceof Error ? error.message : String(error);
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(raw);
  const position = /at position (\d+)/.exec(raw);
  let offset = text.length;
  if (position) offset = Number(position[1]) + bom;
  else if (lineColumn) offset = offsetOf(text, Number(lineColumn[1]), Number(lineColumn[2]));
  else if (!/Unexpected end of JSON input/.test(raw)) offset = bom;
  const message = raw
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/^Unexpected end of JSON input$/, () => l10n.t('Unexpected end of the file'));
  return { offset, message: excerpt(message, 200) };
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + column - 1;
}
