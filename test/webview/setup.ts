/** Shared per-file setup: one browser and server per test file, and a CSP/page-error check after each test. */
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { Harness, requireWebviewTools, type Monitor } from './harness';

// A missing browser fails the layer with the command to run; it is never a reason to skip.
requireWebviewTools();

export interface Fixture {
  harness: Harness;
  /** Pages opened by the current test; checked and closed after it. */
  opened: Monitor[];
}

export function useHarness(): Fixture {
  const fixture = { opened: [] } as unknown as Fixture;
  before(async () => {
    fixture.harness = await Harness.start();
  });
  afterEach(async () => {
    const pages = fixture.opened.splice(0);
    for (const monitor of pages) {
      const violations = await monitor.cspViolations();
      const errors = [...monitor.errors];
      await monitor.close();
      assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
      assert.deepEqual(errors, [], 'no page or console errors');
    }
  });
  after(async () => {
    await fixture.harness?.close();
  });
  return fixture;
}

export async function open(fixture: Fixture, options: Parameters<Harness['open']>[0] = {}): Promise<Monitor> {
  const monitor = await fixture.harness.open(options);
  fixture.opened.push(monitor);
  return monitor;
}
