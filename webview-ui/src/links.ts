/**
 * Provider texts with their https links made real: a failure reason names its Cloud Build page
 * and logs, and a person should be able to click them. The text becomes text nodes and <a>
 * elements, never markup: whatever else the reason holds stays text. A click (or Enter) on one
 * asks the host to open it (`openLink`); the host opens only a link it sent in the model. Which
 * URLs are links is src/shared/links.ts's to say, for both sides.
 */
import type { WebviewMessage } from '../../src/shared/protocol';
import { findLinks } from '../../src/shared/links';
import { el } from './dom';

export function linkified(text: string): Node[] {
  const nodes: Node[] = [];
  let from = 0;
  for (const link of findLinks(text)) {
    if (link.at < from) continue;
    if (link.at > from) nodes.push(document.createTextNode(text.slice(from, link.at)));
    nodes.push(el('a', { href: link.href, class: 'external-link' }, link.text));
    from = link.at + link.text.length;
  }
  if (from < text.length) nodes.push(document.createTextNode(text.slice(from)));
  return nodes;
}

/** Routes every link click on the page to the host, which checks the URL before opening it. */
export function routeLinkClicks(root: HTMLElement, post: (message: WebviewMessage) => void): void {
  root.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : undefined;
    const link = target?.closest('a.external-link');
    if (!(link instanceof HTMLAnchorElement)) return;
    // VS Code's webview script opens every clicked link itself, whatever preventDefault says;
    // stopped here, the link opens once, through the host's check.
    event.preventDefault();
    event.stopPropagation();
    post({ type: 'openLink', url: link.href });
  });
  // A middle click would reach VS Code's handler the same way; it opens nothing.
  root.addEventListener('auxclick', (event) => {
    const target = event.target instanceof Element ? event.target : undefined;
    if (!target?.closest('a.external-link')) return;
    event.preventDefault();
    event.stopPropagation();
  });
}
