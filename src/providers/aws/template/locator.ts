/**
 * Where things are in a parsed file. Paths use the parsed (long-form) shape, e.g.
 * ['Resources', 'Queue', 'Properties', 'QueueName', 'Fn::Sub'], whatever the file's syntax,
 * so checks written against the parsed value can point at the line to fix.
 */
import type { LineIndex, Position } from './lineIndex';

export type ValuePath = readonly (string | number)[];

export function pathKey(path: ValuePath): string {
  return JSON.stringify(path);
}

export interface Locator {
  /** The exact position recorded for a path: a mapping key, or a list item. */
  positionOf(path: ValuePath): Position | undefined;
  /** The line of the path, or of its nearest ancestor with a known position. */
  nearestLine(path: ValuePath): number | undefined;
}

/** `offsets` maps `pathKey(path)` to a character offset in the text. */
export function createLocator(offsets: ReadonlyMap<string, number>, lines: LineIndex): Locator {
  const positionOf = (path: ValuePath): Position | undefined => {
    const offset = offsets.get(pathKey(path));
    return offset === undefined ? undefined : lines.position(offset);
  };
  return {
    positionOf,
    nearestLine(path) {
      for (let length = path.length; length >= 0; length--) {
        const found = positionOf(path.slice(0, length));
        if (found) return found.line;
      }
      return undefined;
    },
  };
}
