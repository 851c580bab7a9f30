/**
 * How deep a template may nest. Real templates stay under a few dozen levels; past this limit
 * the YAML library, JSON.parse and every recursive walker here would eventually overflow the
 * stack and say only "Maximum call stack size exceeded". Measured without recursion, so the
 * measurement itself cannot overflow.
 */
import * as l10n from '@vscode/l10n';
import type { ValuePath } from './locator';

export const MAX_NESTING_LEVELS = 100;

export function nestingMessage(line: number | undefined): string {
  return line === undefined
    ? l10n.t(
        'The file is nested deeper than {0} levels. No CloudFormation template needs that; look for brackets or indentation that run away.',
        MAX_NESTING_LEVELS,
      )
    : l10n.t(
        'The file is nested deeper than {0} levels at line {1}. No CloudFormation template needs that; look for brackets or indentation that run away.',
        MAX_NESTING_LEVELS,
        line,
      );
}

/** The path of the first value nested deeper than `limit`, or undefined when none is. */
export function pathBeyondDepth(value: unknown, limit: number = MAX_NESTING_LEVELS): ValuePath | undefined {
  const stack: { node: unknown; path: ValuePath }[] = [{ node: value, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: ValuePath };
    if (typeof node !== 'object' || node === null) continue;
    if (path.length >= limit) return path;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((item, index) => [index, item]) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ node: entries[i][1], path: [...path, entries[i][0]] });
  }
  return undefined;
}

/** Whether an error is the engine running out of stack. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError || (error instanceof Error && /Maximum call stack size exceeded/.test(error.message));
}
