/** A tiny element factory: plain DOM keeps the bundle small and the 500-row render fast. */

export type Child = Node | string | number | undefined | null | false;
export type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    // Never `style`: the webview's CSP forbids inline style attributes; use classes.
    // className is the one attribute set through its property: measurably cheaper over 500 rows.
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content; cheaper to reason about than patching small sections. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function codicon(name: string, spin = false): HTMLSpanElement {
  // Decorative: the element that carries the icon has the accessible name.
  return el('span', { class: `codicon codicon-${name}${spin ? ' codicon-modifier-spin' : ''}`, 'aria-hidden': 'true' });
}

/**
 * A translated sentence with elements in it: `l10n.t('last deployed {0}, live now {1}')` (no
 * arguments, so the placeholders stay) split at its placeholders, each replaced by its part. The
 * translator keeps the whole sentence and may move the parts.
 */
export function withParts(sentence: string, ...parts: Child[]): Child[] {
  return sentence.split(/\{(\d+)\}/).map((piece, i) => (i % 2 === 0 ? piece || undefined : parts[Number(piece)]));
}

/** "stack" → "Stack": the provider's words start sentences too. */
export function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
