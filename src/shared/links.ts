/**
 * The https links in a provider's text (a failure names its Cloud Build page and logs). The
 * webview draws them as links and asks the host to open one; the host opens only a link that is
 * in a text it sent itself. Both find them here, so they agree on exactly what a link is. Only
 * https: a reason is the provider's text, and a javascript:, file: or plain-http URL in it is not
 * something to hand a click to.
 */

export interface FoundLink {
  /** Where the link starts in the text, and its text there. */
  at: number;
  text: string;
  /** The normalised URL (what the webview asks the host to open). */
  href: string;
}

/** Stops at whitespace and at the characters our reasons put around a URL. */
const CANDIDATE = /https:\/\/[^\s<>"'()]+/g;
/** Punctuation after a URL belongs to the sentence ("…/tf-error.ndjson; build log: …"). */
const TRAILING = /[.,;:!?]+$/;

export function findLinks(text: string): FoundLink[] {
  const links: FoundLink[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const url = match[0].replace(TRAILING, '');
    const href = safeHref(url);
    if (href) links.push({ at: match.index ?? 0, text: url, href });
  }
  return links;
}

/** The URL normalised, if it is an https URL with a host; otherwise undefined. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.hostname !== '' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Every link in every string of a value (a view model), by normalised URL. */
export function linksIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    if (value.includes('https://')) for (const link of findLinks(value)) into.add(link.href);
  } else if (Array.isArray(value)) {
    for (const item of value) linksIn(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) linksIn(item, into);
  }
  return into;
}
