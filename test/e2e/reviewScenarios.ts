/**
 * Issue 12's workbench scenarios: a failure deep inside a nested stack, and a change set the
 * provider's early validation refuses. Both end with the problem on its template line, in the
 * Problems panel and one click from the monitor; the refused one is then fixed from the ended
 * monitor (Import existing resources, Deploy Again).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { deployProject, finalStatus, monitor, runCommand, setSettings } from './workbench';
import type { Scenario } from './scenarios';

/** The sample's local nested templates are uploaded here (the simulator's own S3). */
const TEMPLATE_BUCKET = 'stackwatch-sample-templates';

/** The active editor's file name and cursor line, as the workbench shows them. */
async function activeEditorAt(page: Page, fileName: string, line: number): Promise<void> {
  await page.locator('.tabs-container .tab.active').filter({ hasText: fileName }).waitFor({ timeout: 10_000 });
  await page
    .locator('[id="status.editor.selection"]')
    .filter({ hasText: new RegExp(`Ln ${line},`) })
    .waitFor({ timeout: 10_000 });
}

/** The Problems panel's rows (file rows and marker rows), once it shows `expected`. */
async function problemsShow(page: Page, expected: RegExp): Promise<string[]> {
  await runCommand(page, 'View: Focus on Problems View');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows.filter({ hasText: expected }).first().waitFor({ timeout: 15_000 });
  return rows.allTextContents();
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  assert.ok(index >= 0, `${needle} is in the template`);
  return index + 1;
}

export const REVIEW_SCENARIOS: Scenario[] = [
  {
    name: 'nested-failure-pinned',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, {
        'stackwatch.stackName': 'orders-nested',
        'stackwatch.templatePath': 'scenarios/nested.yaml',
        'stackwatch.aws.templateBucket': TEMPLATE_BUCKET,
        'stackwatch.autoExecute': false,
      });
      await deployProject(page);
      const frame = monitor(page);
      // The review is a tree: the nested stacks' own resources under their parent rows.
      await frame.locator('tr.change-row[data-id="Messaging/Alerts"]').waitFor({ timeout: 30_000 });
      assert.equal(await frame.locator('tr.change-row[data-id="Network/Vpc"]').count(), 1, 'the network stack is expanded in the change list');
      await e2e.screenshot('review');
      await frame.locator('#btn-execute:not([disabled])').click();
      await finalStatus(page, 'rolled back', 90_000);
      const root = frame.locator('#failures li.failure').first();
      assert.equal(await root.getAttribute('data-id'), 'Messaging/Alerts', 'the root cause is the topic inside the nested stack, not "Embedded stack …"');
      assert.match((await root.textContent()) ?? '', /KmsMasterKeyId alias\/orders-missing does not exist/);
      assert.match((await root.textContent()) ?? '', /6f1c2a4e-9d3b-5e7f-8a1b-2c3d4e5f6a7b/, 'the request ID is shown');
      assert.equal(
        await frame.locator('#failures li.failure-inside[data-id="Messaging"]').count(),
        1,
        'the nested stack reads as failed inside, not cancelled',
      );
      const body = e2e.readWorkspaceFile('scenarios/nested/messaging.yaml');
      const rows = await problemsShow(page, /KmsMasterKeyId/);
      assert.ok(
        rows.some((row) => /messaging\.yaml/.test(row)),
        `the problem is filed under the nested template (rows: ${rows.join(' | ')})`,
      );
      await e2e.screenshot();
      // Go to Line from the monitor: the failure's resource name opens the nested file at it.
      await frame.locator('#failures li.failure').first().locator('.resource-link').click();
      await activeEditorAt(page, 'messaging.yaml', lineOf(body, '  Alerts:'));
      // …and from the Problems panel.
      await page
        .locator('.markers-panel .monaco-list-row')
        .filter({ hasText: /KmsMasterKeyId/ })
        .first()
        .dblclick();
      await activeEditorAt(page, 'messaging.yaml', lineOf(body, '  Alerts:'));
      await e2e.screenshot('editor');
    },
  },
  {
    name: 'early-validation',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, {
        'stackwatch.stackName': 'orders-validation',
        'stackwatch.templatePath': 'scenarios/validation.yaml',
        'stackwatch.aws.templateBucket': TEMPLATE_BUCKET,
        'stackwatch.autoExecute': true,
      });
      const from = e2e.sim.calls().length;
      await deployProject(page);
      const frame = monitor(page);
      const findings = frame.locator('li.finding.finding-error');
      await findings.nth(1).waitFor({ timeout: 30_000 });
      const texts = await findings.allTextContents();
      assert.ok(
        texts.some((text) => /\/Resources\/Archive\/Properties\/BucketName/.test(text)),
        `a finding points at the bucket's name (findings: ${texts.join(' | ')})`,
      );
      assert.ok(
        texts.some((text) => /\/Resources\/Work\/Properties\/QueueName/.test(text)),
        'a finding points at the queue name',
      );
      assert.ok(
        texts.every((text) => text.includes('Turn on “Import existing resources” in the deployment options to adopt it instead.')),
        `each name conflict says how to adopt the resource (findings: ${texts.join(' | ')})`,
      );
      assert.equal(
        e2e.sim
          .calls()
          .slice(from)
          .filter((call) => call.action === 'ExecuteChangeSet').length,
        0,
        'nothing was executed, auto-execute or not',
      );
      const body = e2e.readWorkspaceFile('scenarios/validation.yaml');
      const rows = await problemsShow(page, /orders-archive/);
      assert.ok(rows.filter((row) => /already exists|in use|exists/i.test(row)).length >= 2, `both problems are in Problems (rows: ${rows.join(' | ')})`);
      await e2e.screenshot();
      const archive = findings.filter({ hasText: 'Archive' });
      await archive.locator('.go-to-line').click();
      await activeEditorAt(page, 'validation.yaml', lineOf(body, 'BucketName: orders-archive'));
      await e2e.screenshot('editor');
      // The fix the findings advise, from the ended monitor: tick the option, deploy again.
      await runCommand(page, 'Stackwatch: Show Deployment Monitor');
      const importExisting = frame.locator('[data-option="importExisting"] vscode-checkbox');
      await importExisting.waitFor({ timeout: 15_000 });
      await importExisting.click();
      await frame.locator('#options-note').filter({ hasText: 'Saved for orders-validation; used when you deploy again.' }).waitFor({ timeout: 10_000 });
      await e2e.screenshot('saved-option');
      const again = e2e.sim.calls().length;
      await frame.locator('#btn-deployAgain:not([disabled])').click();
      // The simulator seeds both names (existingResources): with the option on they are Import changes.
      for (const id of ['Archive', 'Work']) await frame.locator(`tr.change-row[data-id="${id}"] td.action-import`).waitFor({ timeout: 30_000 });
      const created = e2e.sim
        .calls()
        .slice(again)
        .filter((call) => call.action === 'CreateChangeSet');
      assert.equal(created.length, 1, 'Deploy Again staged once');
      assert.equal(created[0]?.params.ImportExistingResources, 'true', 'with Import existing resources on');
      assert.equal(await frame.locator('li.finding.finding-error').count(), 0, 'no name conflict this time');
      await e2e.screenshot('deploy-again');
    },
  },
];
