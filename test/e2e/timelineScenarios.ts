/**
 * Issue 13's workbench scenario: the timeline and its ETA, mid-deploy. A first deployment of the
 * sample teaches the workspace how long its resource types take; a second stack of the same
 * template is then deployed, and its monitor shows the expected time per row and an ETA drawn
 * from that history while it runs.
 */
import assert from 'node:assert/strict';
import { deployProject, finalStatus, monitor, setSettings } from './workbench';
import type { Scenario } from './scenarios';

const SUCCEEDED = 'Deployment succeeded';

export const TIMELINE_SCENARIOS: Scenario[] = [
  {
    name: 'timeline-eta',
    async run(e2e) {
      const { page } = e2e;
      // Slow enough (the sample's longest path is about 21 simulated seconds) to be caught mid-way.
      e2e.sim.setSpeed(2);
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-learn', 'stackwatch.autoExecute': true });
      await deployProject(page);
      await finalStatus(page, SUCCEEDED);

      await setSettings(e2e, { 'stackwatch.stackName': 'orders-timeline', 'stackwatch.autoExecute': true });
      await deployProject(page);
      const frame = monitor(page);
      const timeline = frame.locator('#timeline');
      await frame
        .locator('#timeline-eta')
        .filter({ hasText: /left · ends about/ })
        .waitFor({ timeout: 30_000 });
      const basis = (await timeline.getAttribute('title')) ?? '';
      assert.match(basis, /earlier deployments/, `the estimate comes from the first deployment (title: ${basis})`);
      // Mid-deploy: some resources done, not all, and the bar part-filled.
      await frame
        .locator('#status-line')
        .filter({ hasText: /^[1-4]\/5 done/ })
        .waitFor({ timeout: 30_000 });
      const fill = Number(await frame.locator('#timeline-bar').getAttribute('aria-valuenow'));
      assert.ok(fill > 0 && fill < 100, `the bar is part-filled mid-deploy (${fill}%)`);
      const expected = await frame.locator('tr.change-row').filter({ hasText: /~\d/ }).count();
      assert.ok(expected > 0, 'rows still running show their expected time');
      await e2e.screenshot();
      await finalStatus(page, SUCCEEDED);
      assert.match((await frame.locator('#timeline-elapsed').textContent()) ?? '', /^Took /, 'the ended timeline says how long it took');
    },
  },
];
