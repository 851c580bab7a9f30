/** axe-core run inside the monitor page, and its serious findings put into words a failing test can print. */
import { readFileSync } from 'node:fs';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type AxeWindow = typeof window & { axe?: typeof import('axe-core') };

/** The violations axe finds in the page as it is now: serious and critical ones only. */
export async function seriousViolations(page: Page): Promise<Result[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern: a <script>
  // element would need the product's strict policy loosened, and the test must check it as it ships.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as AxeWindow).axe;
    if (!axe) throw new Error('axe-core did not load');
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations;
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** One line per failing element: the rule, where, and axe's own summary (e.g. the contrast it measured). */
export function describeViolations(where: string, violations: Result[]): string[] {
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const summary = (node.failureSummary ?? '')
        .replace(/^Fix (any|all) of the following:\s*/gm, '')
        .replace(/\s+/g, ' ')
        .trim();
      return `${where}: ${violation.id} (${violation.impact ?? ''}) at ${node.target.join(' ')}: ${summary}`;
    }),
  );
}
