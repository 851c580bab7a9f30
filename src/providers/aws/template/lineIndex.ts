/** Offsets to 1-based line and column, by binary search over line starts (templates get many lookups). */

export interface Position {
  line: number;
  column: number;
}

export interface LineIndex {
  position(offset: number): Position;
  line(offset: number): number;
}

export function createLineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const position = (offset: number): Position => {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - starts[low] + 1 };
  };
  return { position, line: (offset) => position(offset).line };
}
