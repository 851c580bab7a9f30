/**
 * Logs… in the end states where the log explains most: aborted, a declined recovery, a failed
 * initialization and "no changes", as the host's real view model draws them. Enabled, and
 * pressing it asks the host for the log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FinalState } from '../../src/deployment/machine';
import type { DeploymentContext } from '../../src/deployment/machine';
import { toViewModel } from '../../src/ui/viewModel';
import { described } from '../support/deploymentFixtures';
import { finishedIn } from '../support/uiSnapshots';
import { open, useHarness } from './setup';

interface EndCase {
  name: string;
  final: FinalState;
  failed: boolean;
  context: Partial<DeploymentContext>;
}

const CASES: EndCase[] = [
  { name: 'aborted', final: 'aborted', failed: false, context: { changes: [] } },
  {
    name: 'a declined recovery',
    final: 'aborted',
    failed: false,
    context: { changes: [], described: described.unrecoverable, notices: ['You declined the recovery. Nothing was deleted or changed.'] },
  },
  {
    name: 'a failed initialization',
    final: 'failed',
    failed: true,
    context: { changes: [], error: { code: 'Template', message: 'Template format error: bad YAML', retryable: false, file: 'template.yaml', line: 3 } },
  },
  { name: 'no changes', final: 'noChanges', failed: false, context: { changes: [] } },
];

describe('webview Logs… in the end states', () => {
  const fixture = useHarness();

  for (const c of CASES) {
    it(`${c.name}: Logs… is there, enabled, and asks the host for the log`, async () => {
      const monitor = await open(fixture);
      await monitor.send({ type: 'snapshot', model: toViewModel(finishedIn(c.final, c.failed, c.context)) });
      assert.ok(await monitor.page.locator('#btn-logs').isVisible(), 'Logs… is offered');
      assert.equal(await monitor.page.getAttribute('#btn-logs', 'disabled'), null, 'and enabled');
      await monitor.clearPosted();
      await monitor.page.click('#btn-logs');
      assert.deepEqual(await monitor.posted(), [{ type: 'showLogs' }]);
    });
  }
});
