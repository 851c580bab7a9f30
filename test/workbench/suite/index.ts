/**
 * Runs inside the real VS Code extension host (code-server, or VS Code desktop through
 * @vscode/test-electron). Extension-host output is not visible from outside, so the results
 * also go to the JSON file named by STACKWATCH_TEST_REPORT.
 */
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 180_000, color: false, reporter: 'spec' });
  // The suites are bundled with this file; they register their tests once mocha's globals exist.
  mocha.suite.emit('pre-require', globalThis, 'stackwatch-workbench', mocha);
  await import('./extension.test.js');

  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const report = process.env.STACKWATCH_TEST_REPORT;
      if (report) writeFileSync(report, JSON.stringify({ results }, null, 2));
      if (failures > 0) reject(new Error(`${failures} workbench test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
    runner.on('fail', (test, error: Error) => results.push({ title: test.fullTitle(), state: 'failed', error: `${error.message}\n${error.stack ?? ''}` }));
    runner.on('pending', (test) => results.push({ title: test.fullTitle(), state: 'pending' }));
  });
}
