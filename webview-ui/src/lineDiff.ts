/**
 * A line diff for the review's long values: the longest common subsequence of lines, so what is
 * kept reads as kept and only real additions and removals are marked. Values are capped upstream
 * (MAX_PROPERTY_VALUE_CHARS), so the quadratic table stays small.
 */

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** A run of unchanged lines left out of the shown diff. */
export interface SkippedLines {
  kind: 'skipped';
  count: number;
}

export function lineDiff(before: readonly string[], after: readonly string[]): DiffLine[] {
  // The common head and tail need no table: most changes touch a few lines in the middle.
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const width = b.length + 1;
  // common[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = a[i] === b[j] ? common[(i + 1) * width + j + 1] + 1 : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
    }
  }
  const middle: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      middle.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || common[(i + 1) * width + j] >= common[i * width + j + 1])) {
      // Removals first, so a changed line reads "- old" then "+ new".
      middle.push({ kind: 'removed', text: a[i] });
      i++;
    } else {
      middle.push({ kind: 'added', text: b[j] });
      j++;
    }
  }
  const same = (text: string): DiffLine => ({ kind: 'same', text });
  return [...before.slice(0, head).map(same), ...middle, ...before.slice(before.length - tail).map(same)];
}

/** Keeps `context` unchanged lines around each change and folds longer unchanged runs into one marker. */
export function withContext(lines: readonly DiffLine[], context: number): Array<DiffLine | SkippedLines> {
  const near = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++) near[k] = true;
  });
  const out: Array<DiffLine | SkippedLines> = [];
  lines.forEach((line, index) => {
    if (near[index]) {
      out.push(line);
      return;
    }
    const last = out[out.length - 1];
    if (last?.kind === 'skipped') last.count++;
    else out.push({ kind: 'skipped', count: 1 });
  });
  return out;
}
