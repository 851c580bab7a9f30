/**
 * Provider texts with their https links made real: a failure reason names its Cloud Build page
 * and logs, and a person should be able to click them. The text becomes text nodes and <a>
 * elements, never markup: whatever else the reason holds stays text. VS Code opens a link
 * clicked in a webview in the browser. Only https: a reason is the provider's text, and a
 * javascript:, file: or plain-http URL in it is not something to hand a click to.
 */
import { el } from './dom';

/** Stops at whitespace and at the characters our reasons put around a URL. */
const CANDIDATE = /https:\/\/[^\s<>"'()]+/g;
/** Punctuation after a URL belongs to the sentence ("…/tf-error.ndjson; build log: …"). */
const TRAILING = /[.,;:!?]+$/;

export function linkified(text: string): Node[] {
  const nodes: Node[] = [];
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const url = match[0].replace(TRAILING, '');
    const href = safeHref(url);
    if (!href) continue;
    const at = match.index ?? 0;
    if (at > from) nodes.push(document.createTextNode(text.slice(from, at)));
    nodes.push(el('a', { href, class: 'external-link' }, url));
    from = at + url.length;
  }
  if (from < text.length) nodes.push(document.createTextNode(text.slice(from)));
  return nodes;
}

function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
