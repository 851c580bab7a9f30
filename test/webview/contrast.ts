/**
 * WCAG contrast of an element's text against what is really behind it: computed colours, with
 * every translucent background composited over the ones under it, and the text's own alpha too.
 */
import type { Page } from 'playwright-core';

export interface Contrast {
  ratio: number;
  text: string;
  background: string;
}

/** The contrast of the first element matching `selector`; throws when there is none. */
export async function textContrast(page: Page, selector: string): Promise<Contrast> {
  return page.evaluate((sel) => {
    type Rgba = [number, number, number, number];
    const parse = (value: string): Rgba => {
      const m = /rgba?\(([^)]+)\)/.exec(value);
      if (!m) throw new Error(`cannot read the colour ${value}`);
      const parts = (m[1] ?? '')
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3] + below[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i] * top[3] + below[i] * below[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const element = document.querySelector(sel);
    if (!element) throw new Error(`no element matches ${sel}`);
    // Backgrounds from the element down to the page; the canvas under them all is white.
    const layers: Rgba[] = [];
    for (let node: Element | null = element; node; node = node.parentElement) layers.push(parse(getComputedStyle(node).backgroundColor));
    let background: Rgba = [255, 255, 255, 1];
    for (const layer of layers.reverse()) background = over(layer, background);
    const text = over(parse(getComputedStyle(element).color), background);
    const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a) as [number, number];
    const css = (c: Rgba) => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`;
    return { ratio: (light + 0.05) / (dark + 0.05), text: css(text), background: css(background) };
  }, selector);
}
