/**
 * The yaml library reports an unclosed `[` or `{` where it gave up, usually the end of the file,
 * which is rarely where the mistake is. Its CST still knows where each flow collection opened,
 * so the problem can point at the bracket that was never closed.
 */
import { CST, Parser } from 'yaml';

const UNCLOSED = /end with an? ([\]}])/;

/** Offset of the last `[` (or `{`) before `errorOffset` that is never closed; undefined if none. */
export function unclosedOpenerBefore(text: string, errorMessage: string, errorOffset: number): { offset: number; bracket: string } | undefined {
  const closing = UNCLOSED.exec(errorMessage)?.[1];
  if (!closing) return undefined;
  const opening = closing === ']' ? '[' : '{';
  let found: number | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      for (const node of [item.key, item.value]) {
        if (node?.type !== 'flow-collection' || node.start.source !== opening) continue;
        const closed = node.end.some((end) => end.source === closing);
        if (!closed && node.offset < errorOffset && (found === undefined || node.offset > found)) found = node.offset;
      }
    });
  }
  return found === undefined ? undefined : { offset: found, bracket: opening };
}
