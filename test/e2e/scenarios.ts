/**
 * The workbench scenarios of issue 4, each started from the Command Palette like a person would,
 * against the local CloudFormation simulator.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REVIEW_SCENARIOS } from './reviewScenarios';
import { TIMELINE_SCENARIOS } from './timelineScenarios';
import { RELOAD_SCENARIOS } from './reloadScenarios';
import { ACCESS_SCENARIOS } from './accessScenarios';
import {
  STATUS_BAR_ITEM,
  button,
  deployProject,
  enabledButton,
  finalStatus,
  monitor,
  runCommand,
  setSettings,
  sleep,
  watchProgress,
  type E2E,
} from './workbench';

export interface Scenario {
  name: string;
  run(e2e: E2E): Promise<void>;
}

const SUCCEEDED = 'Deployment succeeded';

function callsSince(e2e: E2E, from: number, action: string): number {
  return e2e.sim
    .calls()
    .slice(from)
    .filter((call) => call.action === action).length;
}

const BASE_SCENARIOS: Scenario[] = [
  {
    name: 'deploy-execute-copy',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-api' });
      // Slower than the rest, so the progress can be seen rising.
      e2e.sim.setSpeed(5);
      await deployProject(page);
      const frame = monitor(page);
      await frame.locator('tr.change-row[data-id="HandlerUrl"]').waitFor({ timeout: 30_000 });
      assert.equal(await frame.locator('tr.change-row').count(), 5, 'the change list shows the five resources');
      const from = e2e.sim.calls().length;
      await (await enabledButton(page, 'btn-execute')).click();
      const seen = await watchProgress(page);
      assert.ok(
        seen.some((done) => done > 0 && done < 5),
        `progress rose through intermediate counts (seen ${seen.join(', ')})`,
      );
      await finalStatus(page, SUCCEEDED);
      assert.equal(callsSince(e2e, from, 'ExecuteChangeSet'), 1, 'Execute executed the change set once');
      const apiUrl = e2e.sim
        .stacks()
        .find((stack) => stack.name === 'orders-api')
        ?.outputs.find((output) => output.key === 'ApiUrl')?.value;
      assert.ok(apiUrl, 'the stack has an ApiUrl output');
      await frame.locator('#outputs tr[data-key="ApiUrl"]').filter({ hasText: apiUrl }).waitFor();
      const copy = frame.locator('vscode-button.copy[data-key="ApiUrl"]');
      await copy.click();
      await copy.filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
      const clipboard = await page.evaluate<string>('navigator.clipboard.readText()');
      assert.equal(clipboard, apiUrl, 'the clipboard holds the ApiUrl value');
      await e2e.screenshot();
    },
  },
  {
    name: 'auto-execute',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-auto', 'stackwatch.autoExecute': true });
      const from = e2e.sim.calls().length;
      await deployProject(page);
      await finalStatus(page, SUCCEEDED);
      assert.equal(callsSince(e2e, from, 'ExecuteChangeSet'), 1, 'the change set was executed without a click');
      assert.equal(e2e.sim.stacks().find((stack) => stack.name === 'orders-auto')?.status, 'CREATE_COMPLETE');
      await monitor(page).locator('#outputs tr[data-key="ApiUrl"]').waitFor();
      await e2e.screenshot();
    },
  },
  {
    name: 'failure-rollback',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-failing', 'stackwatch.templatePath': 'scenarios/failure.yaml', 'stackwatch.autoExecute': true });
      await deployProject(page);
      await finalStatus(page, 'rolled back');
      const frame = monitor(page);
      const icon = frame.locator('tr.change-row[data-id="Alerts"] .status-icon');
      await icon.hover();
      const tooltip = icon.locator('.tooltip');
      await tooltip.waitFor({ state: 'visible', timeout: 5_000 });
      assert.match((await tooltip.textContent()) ?? '', /DisplayName must be at most 100 characters/);
      const failures = frame.locator('#failures li.failure');
      assert.equal(await failures.first().getAttribute('data-id'), 'Alerts', 'the root cause comes first');
      assert.match((await failures.first().getAttribute('class')) ?? '', /failure-root/);
      assert.ok((await frame.locator('#failures li.failure-cancelled').count()) >= 1, 'the cancellations are listed after it');
      assert.equal(e2e.sim.stacks().find((stack) => stack.name === 'orders-failing')?.status, 'ROLLBACK_COMPLETE');
      await e2e.screenshot();
    },
  },
  {
    name: 'stop-slow-update',
    async run(e2e) {
      const { page } = e2e;
      const settings = { 'stackwatch.stackName': 'orders-slow', 'stackwatch.templatePath': 'scenarios/slow-update.yaml', 'stackwatch.autoExecute': true };
      await setSettings(e2e, { ...settings, 'stackwatch.parameters': { WorkerCount: '1' } });
      e2e.sim.setSpeed(20);
      await deployProject(page);
      await finalStatus(page, SUCCEEDED);
      await setSettings(e2e, { ...settings, 'stackwatch.parameters': { WorkerCount: '2' } });
      // Slow enough that the 45 s update is still running when Stop is pressed.
      e2e.sim.setSpeed(4);
      const from = e2e.sim.calls().length;
      await deployProject(page);
      await monitor(page).locator('#status-line').filter({ hasText: 'UPDATE_IN_PROGRESS' }).waitFor({ timeout: 30_000 });
      await (await enabledButton(page, 'btn-stop')).click();
      await monitor(page).locator('#btn-stop[disabled]').waitFor({ timeout: 10_000 });
      e2e.sim.setSpeed(20);
      const text = await finalStatus(page, 'Stopped');
      assert.match(text, /rolled back/);
      assert.equal(callsSince(e2e, from, 'CancelUpdateStack'), 1, 'Stop cancelled the update');
      assert.equal(e2e.sim.stacks().find((stack) => stack.name === 'orders-slow')?.status, 'UPDATE_ROLLBACK_COMPLETE');
      await e2e.screenshot();
    },
  },
  {
    name: 'status-bar-reopen',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-bg', 'stackwatch.templatePath': 'scenarios/slow-update.yaml', 'stackwatch.autoExecute': true });
      e2e.sim.setSpeed(3);
      await deployProject(page);
      await monitor(page).locator('#status-line').filter({ hasText: 'CREATE_IN_PROGRESS' }).waitFor({ timeout: 30_000 });
      const tab = page.locator('.tabs-container .tab').filter({ hasText: 'Deploy: orders-bg' });
      await tab.hover();
      await tab.locator('.tab-actions .action-label').click();
      await page.waitForFunction("document.querySelector('iframe.webview') === null", undefined, { timeout: 10_000 });
      const notice = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'still deploying in the background' });
      await notice.waitFor({ timeout: 5_000 });
      const item = page.locator(STATUS_BAR_ITEM);
      await item.filter({ hasText: /orders-bg \d+\/2/ }).waitFor({ timeout: 10_000 });
      const shown = (await item.textContent()) ?? '';
      assert.match(shown, /orders-bg [01]\/2/, `the status bar shows progress while running (${shown})`);
      await item.locator('a, .statusbar-item-label').first().click();
      const frame = monitor(page);
      await frame.locator('#stack-name').filter({ hasText: 'orders-bg' }).waitFor({ timeout: 15_000 });
      await frame.locator('tr.change-row[data-id="Jobs"]').waitFor();
      await frame
        .locator('#status-line')
        .filter({ hasText: /\d\/2 done/ })
        .waitFor();
      assert.equal(await frame.locator('#final-status').isVisible(), false, 'the monitor is back mid-deployment');
      await notice.waitFor({ state: 'hidden', timeout: 5_000 });
      await e2e.screenshot();
      e2e.sim.setSpeed(20);
      await finalStatus(page, SUCCEEDED);
    },
  },
  {
    name: 'unrecoverable-consent',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-broken', 'stackwatch.autoExecute': true });
      const from = e2e.sim.calls().length;
      await deployProject(page);
      const frame = monitor(page);
      await frame.locator('#consent-status').filter({ hasText: 'ROLLBACK_COMPLETE' }).waitFor({ timeout: 30_000 });
      await (await button(page, 'No, leave the stack as it is')).click();
      await frame.locator('#consent').waitFor({ state: 'hidden', timeout: 10_000 });
      await sleep(500);
      const broken = e2e.sim.stacks().filter((stack) => stack.name === 'orders-broken');
      assert.equal(broken.length, 1);
      assert.equal(broken[0]?.status, 'ROLLBACK_COMPLETE', 'No left the stack as it was');
      assert.equal(broken[0]?.deleted, false);
      assert.equal(callsSince(e2e, from, 'DeleteStack'), 0, 'No sent no DeleteStack');
      await deployProject(page);
      await frame.locator('#consent-status').filter({ hasText: 'ROLLBACK_COMPLETE' }).waitFor({ timeout: 30_000 });
      await (await button(page, 'Delete and recreate')).click();
      await finalStatus(page, SUCCEEDED);
      assert.equal(callsSince(e2e, from, 'DeleteStack'), 1, 'Yes deleted the stack once');
      const live = e2e.sim.stacks().filter((stack) => stack.name === 'orders-broken' && !stack.deleted);
      assert.equal(live[0]?.status, 'CREATE_COMPLETE', 'the stack was recreated');
      await e2e.screenshot();
    },
  },
  {
    name: 'save-template',
    async run(e2e) {
      const { page } = e2e;
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-save' });
      await deployProject(page);
      await enabledButton(page, 'btn-execute');
      await (await enabledButton(page, 'btn-saveTemplate')).click();
      const editor = page.locator('.editor-instance .monaco-editor .view-lines').filter({ hasText: 'AWSTemplateFormatVersion' });
      await editor.waitFor({ timeout: 15_000 });
      const tab = page.locator('.tabs-container .tab.active');
      assert.match((await tab.textContent()) ?? '', /Untitled/, 'the staged template is in a new editor');
      await page.locator('.quick-input-widget').filter({ hasText: /Save/ }).waitFor({ timeout: 10_000 });
      // The name offered is one a person would choose: the stack, "staged", and the time it was saved.
      await page.waitForFunction(
        "/\\/orders-save-staged-\\d{4}-\\d{2}-\\d{2}-\\d{4}\\.yaml$/.test(document.querySelector('.quick-input-widget .quick-input-box input')?.value ?? '')",
        undefined,
        { timeout: 10_000 },
      );
      await e2e.screenshot();
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
      // Leave no dirty editor behind for the next scenario.
      await tab.click();
      await runCommand(page, 'View: Revert and Close Editor');
    },
  },
  {
    name: 'bad-template',
    async run(e2e) {
      const { page } = e2e;
      writeFileSync(
        join(e2e.workspace, 'broken.yaml'),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: { VisibilityTimeout: [1, 2\n",
      );
      await setSettings(e2e, { 'stackwatch.stackName': 'orders-bad', 'stackwatch.templatePath': 'broken.yaml', 'stackwatch.autoExecute': true });
      const from = e2e.sim.calls().length;
      // Earlier scenarios' failures stay in Problems (on their templates' lines) until those stacks deploy again.
      const problems = page.locator('.statusbar-item[id="status.problems"]');
      const errorsBefore = Number(/(\d+)/.exec((await problems.textContent()) ?? '')?.[1] ?? 0);
      await deployProject(page);
      // An error notification names the file and line, whether or not the monitor is in view.
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'orders-bad was not deployed' });
      await toast.waitFor({ timeout: 20_000 });
      const said = (await toast.locator('.notification-list-item-message').textContent()) ?? '';
      assert.match(said, /broken\.yaml:5/, `the notification names the file and line: ${said}`);
      // The monitor says the same, with its own link to the line.
      const error = monitor(page).locator('#error-message').filter({ hasText: 'broken.yaml' });
      assert.match((await error.textContent()) ?? '', /broken\.yaml:5/);
      await finalStatus(page, 'Deployment failed');
      // Another stack may still wait for review; the status bar shows this failure first all the same.
      const item = page.locator(STATUS_BAR_ITEM);
      assert.match((await item.textContent()) ?? '', /orders-bad/, 'the status bar shows the deployment that just failed');
      await e2e.screenshot();
      await toast.getByRole('button', { name: 'Go to Line' }).click();
      await page.locator('.tabs-container .tab.active').filter({ hasText: 'broken.yaml' }).waitFor({ timeout: 10_000 });
      // The Problems panel has both of its YAML problems too (the unclosed list and map), until the file is edited.
      await problems.filter({ hasText: new RegExp(`^\\D*${errorsBefore + 2}\\b`) }).waitFor({ timeout: 10_000 });
      await sleep(500);
      assert.equal(callsSince(e2e, from, 'CreateChangeSet'), 0, 'nothing was deployed');
      assert.equal(
        e2e.sim.stacks().some((stack) => stack.name === 'orders-bad'),
        false,
      );
    },
  },
  {
    name: 'gcp-blueprint',
    async run(e2e) {
      const { page, imSim } = e2e;
      await setSettings(e2e, gcpSettings(e2e));
      imSim.setSpeed(4);
      await deployProject(page);
      const frame = monitor(page);
      await frame.locator('tr.change-row[data-id="google_cloud_run_v2_service.api"]').waitFor({ timeout: 30_000 });
      assert.match((await frame.locator('.subtitle').textContent()) ?? '', /Google Cloud Infrastructure Manager · us-central1 · project stackwatch-demo/);
      assert.equal(await frame.locator('#col-action').textContent(), 'Intent');
      assert.equal(await frame.locator('tr.change-row[data-id="google_storage_bucket.assets"] .action').textContent(), 'Create');
      assert.equal(await frame.locator('tr.change-row').count(), 4, 'the preview lists the four resources');
      assert.equal(imSim.deployments().length, 0, 'only a preview so far: nothing is deployed before Execute');
      await (await enabledButton(page, 'btn-execute')).click();
      await frame.locator('#btn-stop').filter({ hasText: 'Cancel (no rollback)' }).waitFor({ timeout: 15_000 });
      await finalStatus(page, SUCCEEDED);
      await frame.locator('#outputs tr[data-key="api_url"]').filter({ hasText: 'https://orders-api-7f3k2a-uc.a.run.app' }).waitFor();
      const secret = (await frame.locator('#outputs tr[data-key="api_key"]').textContent()) ?? '';
      assert.doesNotMatch(secret, /sk-demo/, 'the sensitive output is masked');
      // Masked on screen, but Copy still copies the value: it is read on the extension host.
      const copy = frame.locator('vscode-button.copy[data-key="api_key"]');
      await copy.click();
      await copy.filter({ hasText: 'Copied' }).waitFor({ timeout: 5_000 });
      assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), 'sk-demo-5d41402abc4b2a76');
      assert.match((await frame.locator('#status-line').textContent()) ?? '', /^4\/4 done, 0 errors; status: /);
      const uploads = imSim.requests().filter((request) => request.path.startsWith('/upload/storage/'));
      assert.equal(uploads.length, 1, 'the blueprint was uploaded once');
      assert.equal(imSim.deployments().length, 1, 'one deployment was created');
      await e2e.screenshot();
      // Save Plan: the preview's own Terraform plan as the service exports it, masked, in a save dialog named for a plan.
      await (await enabledButton(page, 'btn-saveTemplate')).click();
      await page.locator('.editor-instance .monaco-editor .view-lines').filter({ hasText: '"format_version"' }).waitFor({ timeout: 15_000 });
      await page.locator('.quick-input-widget').filter({ hasText: 'Save the preview plan' }).waitFor({ timeout: 10_000 });
      // The dialog fills its path after it shows: wait for the name it offers, a person's choice of name.
      await page.waitForFunction(
        "/\\/orders-gcp-plan-\\d{4}-\\d{2}-\\d{2}-\\d{4}\\.json$/.test(document.querySelector('.quick-input-widget .quick-input-box input')?.value ?? '')",
        undefined,
        { timeout: 10_000 },
      );
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5_000 });
      await page.locator('.tabs-container .tab.active').click();
      await runCommand(page, 'View: Revert and Close Editor');
    },
  },
  {
    name: 'gcp-cancel',
    async run(e2e) {
      const { page, imSim } = e2e;
      await setSettings(e2e, { ...gcpSettings(e2e), 'stackwatch.gcp.deploymentId': 'orders-gcp-cancel', 'stackwatch.autoExecute': true });
      // Real time: the Cloud Run service takes 8 s, long enough to cancel it mid-apply.
      imSim.setSpeed(1);
      await deployProject(page);
      const frame = monitor(page);
      await frame.locator('tr.change-row[data-id="google_cloud_run_v2_service.api"][data-status="inProgress"]').waitFor({ timeout: 45_000 });
      await (await enabledButton(page, 'btn-stop')).click();
      // The monitor asks first, with Keep Deploying focused, and says nothing is rolled back.
      const question = frame.locator('#stop-confirm');
      await question.waitFor({ timeout: 10_000 });
      assert.match((await question.textContent()) ?? '', /nothing is rolled back/i);
      await frame.locator('#stop-keep:focus').waitFor({ timeout: 5_000 });
      await frame.locator('#stop-confirm-yes').click();
      await finalStatus(page, 'Cancelled: Terraform stopped where it was, and nothing was rolled back');
      assert.equal(await frame.locator('#overall-status').getAttribute('aria-label'), 'Status: Cancelled');
      assert.equal(
        await frame.locator('tr.change-row[data-id="google_storage_bucket.assets"]').getAttribute('data-status'),
        'succeeded',
        'applied before the cancel, and it stays',
      );
      assert.notEqual(
        await frame.locator('tr.change-row[data-id="google_service_account.api"]').getAttribute('data-status'),
        'succeeded',
        'after the cancel, nothing more is applied',
      );
      assert.ok(
        imSim.requests().some((request) => request.method === 'POST' && request.path.endsWith(':cancel')),
        'operations.cancel was sent',
      );
      await e2e.screenshot();
    },
  },
  {
    name: 'other-operation',
    async run(e2e) {
      const { page } = e2e;
      const settings = { 'stackwatch.stackName': 'orders-busy', 'stackwatch.templatePath': 'scenarios/slow-update.yaml', 'stackwatch.autoExecute': true };
      await setSettings(e2e, { ...settings, 'stackwatch.parameters': { WorkerCount: '1' } });
      e2e.sim.setSpeed(20);
      await deployProject(page);
      await finalStatus(page, SUCCEEDED);
      // Someone else updates the same stack from the console, slowly.
      e2e.sim.setSpeed(4);
      const templateBody = readFileSync(join(e2e.workspace, 'scenarios', 'slow-update.yaml'), 'utf8');
      const theirs = e2e.sim.asOtherClient({ action: 'UpdateStack', stackName: 'orders-busy', templateBody, parameters: { WorkerCount: '3' } });
      await setSettings(e2e, { ...settings, 'stackwatch.parameters': { WorkerCount: '2' } });
      const from = e2e.sim.calls().length;
      await deployProject(page);
      const situation = monitor(page).locator('#situation');
      await situation.filter({ hasText: 'Another operation is running' }).waitFor({ timeout: 30_000 });
      assert.match((await situation.textContent()) ?? '', new RegExp(`the AWS console \\(token ${theirs.token}\\)`), 'it says whose operation it is');
      assert.equal(callsSince(e2e, from, 'CreateChangeSet'), 0, 'nothing of ours is staged while theirs runs');
      await e2e.screenshot();
      await (await enabledButton(page, 'btn-watchOther')).click();
      e2e.sim.setSpeed(20);
      await finalStatus(page, SUCCEEDED, 90_000);
      assert.equal(callsSince(e2e, from, 'ExecuteChangeSet'), 1, 'ours executed once, after theirs');
      const staged = e2e.sim
        .calls()
        .slice(from)
        .filter((call) => call.action === 'CreateChangeSet');
      assert.equal(staged.length, 1, 'staged once, after theirs ended');
      assert.equal(staged[0]?.params['Parameters.member.1.ParameterValue'], '2', 'our parameters were staged, not theirs');
      assert.equal(e2e.sim.stacks().find((stack) => stack.name === 'orders-busy')?.status, 'UPDATE_COMPLETE');
    },
  },
];

/** The sample's Google Cloud settings, aimed at this run's local Infrastructure Manager. */
function gcpSettings(e2e: E2E): Record<string, unknown> {
  return {
    'stackwatch.provider': 'gcp',
    'stackwatch.gcp.project': 'stackwatch-demo',
    'stackwatch.gcp.location': 'us-central1',
    'stackwatch.gcp.deploymentId': 'orders-gcp',
    'stackwatch.gcp.serviceAccount': 'deployer@stackwatch-demo.iam.gserviceaccount.com',
    'stackwatch.gcp.blueprintFolder': 'gcp/orders',
    'stackwatch.gcp.inputValues': { project: 'stackwatch-demo' },
    'stackwatch.gcp.stagingBucket': 'stackwatch-demo-blueprints',
    'stackwatch.gcp.endpoint': e2e.imSim.rootUrl,
  };
}

export const SCENARIOS: Scenario[] = [...BASE_SCENARIOS, ...REVIEW_SCENARIOS, ...TIMELINE_SCENARIOS, ...RELOAD_SCENARIOS, ...ACCESS_SCENARIOS];
