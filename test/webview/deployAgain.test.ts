/**
 * After a staging that failed with nothing executed: the deployment options are editable in the
 * ended monitor (a change posts setOption, which the host saves for the next deployment), the
 * group says what was saved, and Deploy Again posts deployAgain. Any other end offers neither.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Theme } from './harness';
import { findingsModel, stagingFailedModel } from './depthModels';
import { succeededModel } from './models';
import { open, useHarness } from './setup';

const THEMES: Theme[] = ['light', 'dark', 'hc-dark', 'hc-light'];

describe('webview: options and Deploy Again after a failed staging', () => {
  const fixture = useHarness();

  for (const theme of THEMES) {
    it(`an option ticked after the failure posts setOption; the saved note shows; Deploy Again posts deployAgain (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      const page = monitor.page;
      await monitor.send({ type: 'snapshot', model: stagingFailedModel() });
      assert.ok(await page.locator('#deployment-options').isVisible(), 'the options are shown in the ended monitor');
      const adopt = page.locator('[data-option="importExisting"] vscode-checkbox');
      assert.equal(await adopt.evaluate((node) => (node as HTMLElement & { disabled: boolean }).disabled), false);
      const drift = page.locator('[data-option="revertDrift"] vscode-checkbox');
      assert.equal(await drift.evaluate((node) => (node as HTMLElement & { disabled: boolean }).disabled), true, 'one that does not apply stays disabled');
      assert.equal(await page.locator('#options-note').count(), 0, 'nothing saved yet');
      const buttons = await page.$$eval('.controls .button-row vscode-button', (nodes) => nodes.map((node) => node.id));
      assert.ok(buttons.includes('btn-deployAgain') && buttons.includes('btn-done'), buttons.join(', '));
      await monitor.clearPosted();
      await adopt.click();
      await monitor.send({ type: 'snapshot', model: stagingFailedModel(true) });
      assert.equal(await page.textContent('#options-note'), 'Saved for demo-stack; used when you deploy again.');
      assert.equal(
        await page.locator('[data-option="importExisting"] vscode-checkbox').evaluate((node) => (node as HTMLElement & { checked: boolean }).checked),
        true,
      );
      await page.click('#btn-deployAgain');
      assert.deepEqual(await monitor.posted(), [{ type: 'setOption', id: 'importExisting', value: true }, { type: 'deployAgain' }]);
    });
  }

  it('another end offers neither: no Deploy Again, no options', async () => {
    const monitor = await open(fixture);
    for (const ended of [findingsModel(), succeededModel()]) {
      await monitor.send({ type: 'snapshot', model: ended });
      assert.equal(await monitor.page.locator('#btn-deployAgain').count(), 0);
      assert.ok(await monitor.page.locator('#deployment-options').isHidden());
    }
  });
});
