/**
 * Renders media/icon.png, the 128×128 PNG the Marketplace and Open VSX show (they take no SVG),
 * from media/stackwatch.svg: the stack drawn in white on a rounded square of the gallery banner's
 * colour, in Debian's Chromium. Run it again after changing the SVG or the banner colour:
 *   node --import tsx scripts/renderIcon.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, ROOT, ensureChromium } from './codeServer';
import { pngSize } from './pngSize';

const SIZE = 128;
const OUT = join(ROOT, 'media', 'icon.png');

function page(svg: string, background: string): string {
  return `<!doctype html><html><head><style>
    html, body { margin: 0; background: transparent; }
    .tile { width: ${SIZE}px; height: ${SIZE}px; border-radius: 24px; background: ${background};
            color: #ffffff; display: flex; align-items: center; justify-content: center; }
    .tile svg { width: 88px; height: 88px; }
  </style></head><body><div class="tile">${svg}</div></body></html>`;
}

async function main(): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { galleryBanner?: { color?: string } };
  const background = manifest.galleryBanner?.color;
  if (!background) throw new Error('package.json has no galleryBanner.color, the colour the icon is drawn on.');
  const svg = readFileSync(join(ROOT, 'media', 'stackwatch.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await tab.setContent(page(svg, background));
    const png = await tab.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
    const size = pngSize(png);
    if (size?.width !== SIZE || size.height !== SIZE) throw new Error(`Chromium rendered ${JSON.stringify(size)}, not ${SIZE}×${SIZE}.`);
    writeFileSync(OUT, png);
    console.log(`media/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
