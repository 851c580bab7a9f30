/** Consent, retry banner, completion (outputs, failures), errors and notices. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consentModel, creatingModel, errorModel, gcpApplyingModel, reviewModel, retryingModel, rolledBackModel, stoppedModel, succeededModel } from './models';
import { open, useHarness } from './setup';

describe('webview panels', () => {
  const fixture = useHarness();

  it('consent shows the stack, its status and the reason, and posts the chosen action or decline', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: consentModel() });
    const consent = monitor.page.locator('#consent');
    assert.ok(await consent.isVisible());
    assert.equal(await consent.getAttribute('role'), 'alertdialog');
    assert.match((await consent.textContent()) ?? '', /Stack demo-stack is in DELETE_FAILED/);
    assert.match((await monitor.page.textContent('#consent-reason')) ?? '', /bucket you tried to delete is not empty/);
    const actions = await monitor.page.$$eval('#consent .consent-actions li', (items) =>
      items.map((item) => [
        (item.querySelector('vscode-button')?.textContent ?? '').trim(),
        item.querySelector('vscode-button')?.classList.contains('destructive'),
        item.querySelector('.action-description')?.textContent,
      ]),
    );
    assert.deepEqual(actions, [
      ['Delete and redeploy', true, 'Retries deleting the stack, then deploys it from scratch.'],
      ['Force delete and redeploy', true, 'Deletes the stack and leaves resources that cannot be deleted behind.'],
    ]);
    assert.equal(await monitor.page.evaluate(() => document.activeElement?.id), 'consent-decline', '"No" has focus: a stray Enter must not delete a stack');
    await monitor.clearPosted();
    await monitor.page.click('#consent-forceDelete');
    await monitor.page.click('#consent-decline');
    assert.deepEqual(await monitor.posted(), [{ type: 'consent', action: 'forceDelete' }, { type: 'decline' }]);
    // Consent answered: the host's delta clears it.
    await monitor.send({ type: 'delta', delta: { fields: { consent: null, phase: 'starting' }, rows: [] } });
    assert.ok(!(await consent.isVisible()));
  });

  it('the retry banner counts down to retryAt, and goes when the retry is over', async () => {
    const monitor = await open(fixture);
    const retryAt = Date.now() + 4_000;
    await monitor.send({ type: 'snapshot', model: retryingModel(retryAt) });
    const banner = monitor.page.locator('#retry-banner');
    assert.ok(await banner.isVisible());
    const first = (await banner.textContent()) ?? '';
    assert.match(first, /^Retrying DescribeStackEvents in [34] s, attempt 2: CloudFormation is throttling requests \(Rate exceeded\)\.$/);
    await monitor.page.waitForFunction(() => / in [12] s/.test(document.querySelector('#retry-banner')?.textContent ?? ''), undefined, {
      timeout: 5_000,
    });
    assert.equal(await monitor.page.textContent('#shown-status .status-label'), 'Retrying');
    await monitor.send({ type: 'snapshot', model: creatingModel() });
    assert.ok(!(await banner.isVisible()));
  });

  it('outputs: one copy button per row posting copyOutput, which says Copied when the host confirms', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: succeededModel() });
    assert.match((await monitor.page.textContent('#final-status')) ?? '', /Deployment succeeded — stack state UPDATE_COMPLETE/);
    const rows = await monitor.page.$$eval('.output-table tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-key'), tr.querySelector('.output-value')?.textContent]),
    );
    assert.deepEqual(rows, [
      ['ApiUrl', 'https://1h60k5zv18.execute-api.us-east-1.amazonaws.com/prod/webhook'],
      ['BucketName', 'demo-bucket-1h60k5zv18'],
    ]);
    const copy = monitor.page.locator('vscode-button.copy[data-key="BucketName"]');
    assert.equal(await copy.getAttribute('aria-label'), 'Copy BucketName');
    await monitor.clearPosted();
    await copy.click();
    assert.deepEqual(await monitor.posted(), [{ type: 'copyOutput', key: 'BucketName' }]);
    assert.equal((await copy.textContent())?.trim(), 'Copy');
    await monitor.send({ type: 'copied', key: 'BucketName' });
    assert.equal((await copy.textContent())?.trim(), 'Copied');
    assert.equal((await monitor.page.locator('vscode-button.copy[data-key="ApiUrl"]').textContent())?.trim(), 'Copy');
    assert.equal(await monitor.page.textContent('#announcer'), 'Copied BucketName');
    assert.match((await monitor.page.textContent('#notes')) ?? '', /Deleted the empty change set/);
  });

  it('an error that only repeats the root cause is not shown twice', async () => {
    const monitor = await open(fixture);
    const failed = rolledBackModel();
    const root = failed.failures.rootCause;
    assert.ok(root);
    const restated = `${root.logicalId} (${root.resourceType}): ${root.reason}`;
    await monitor.send({
      type: 'snapshot',
      model: { ...failed, error: { code: 'Validation', message: restated, retryable: false, fromRootCause: true, toldIn: 'failures' } },
    });
    assert.equal(await monitor.page.isHidden('#error'), true);
    const times = await monitor.page.evaluate((reason) => document.body.innerText.split(reason).length - 1, root.reason);
    assert.equal(times, 1, 'the root cause is on the page once');
    await monitor.send({ type: 'snapshot', model: { ...failed, error: { code: 'Internal', message: 'Something else broke', retryable: false } } });
    assert.equal(await monitor.page.isVisible('#error'), true);
    // The host decides what is told elsewhere; the webview never compares wording.
    await monitor.send({ type: 'snapshot', model: { ...failed, error: { code: 'Validation', message: restated, retryable: false } } });
    assert.equal(await monitor.page.isVisible('#error'), true);
  });

  it('a stop is reported as a stop, not as a failure', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: stoppedModel() });
    assert.match((await monitor.page.textContent('#final-status')) ?? '', /^\s*Stopped: the update was cancelled/);
    assert.equal(await monitor.page.textContent('#failures-heading'), 'What was cancelled');
    assert.equal(await monitor.page.getAttribute('#overall-status', 'aria-label'), 'Status: Stopped and rolled back');
  });

  it('a Google Cloud deployment speaks Infrastructure Manager: intent, resource address, Save Plan, Cancel (no rollback)', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: gcpApplyingModel() });
    const subtitle = (await monitor.page.textContent('.subtitle')) ?? '';
    assert.match(subtitle, /^Google Cloud Infrastructure Manager · us-central1 · project demo-project · as deployer@/);
    const headers = await monitor.page.$$eval('#change-table thead th', (cells) => cells.map((cell) => cell.textContent ?? ''));
    assert.deepEqual(headers.slice(2, 6), ['Intent', 'Resource address', 'Type', 'Resource ID']);
    const actions = await monitor.page.$$eval('#change-table tbody .action', (cells) => cells.map((cell) => cell.textContent ?? ''));
    assert.deepEqual(actions, ['Create', 'Update', 'Delete']);
    assert.equal(await monitor.page.locator('tr[data-id="google_cloud_run_v2_service.api"] .badge-danger').textContent(), 'Replacement');
    assert.match((await monitor.page.textContent('#btn-stop')) ?? '', /Cancel \(no rollback\)/);
    assert.match((await monitor.page.getAttribute('#btn-stop', 'title')) ?? '', /nothing is rolled back/);
    assert.match((await monitor.page.textContent('#btn-saveTemplate')) ?? '', /Save Plan/);
    assert.equal(await monitor.page.textContent('#status-line'), '1/3 done, 0 errors; status: UPDATING');

    // Cancelled by the person: its own outcome, in Google's words, not "Deployment failed".
    await monitor.send({
      type: 'snapshot',
      model: { ...gcpApplyingModel(), phase: 'final', final: 'failed', stopped: true, shown: 'failed', providerStatus: 'FAILED' },
    });
    assert.match(
      (await monitor.page.textContent('#final-status')) ?? '',
      /^\s*Cancelled: Terraform stopped where it was, and nothing was rolled back — status FAILED/,
    );
    assert.equal(await monitor.page.getAttribute('#overall-status', 'aria-label'), 'Status: Cancelled');
    // A cancel that failed anyway (an error came back) is a failure, and says so.
    await monitor.send({
      type: 'snapshot',
      model: {
        ...gcpApplyingModel(),
        phase: 'final',
        final: 'failed',
        stopped: true,
        shown: 'failed',
        providerStatus: 'FAILED',
        error: { code: 'Unknown', message: 'The cancel itself failed', retryable: false },
      },
    });
    assert.match((await monitor.page.textContent('#final-status')) ?? '', /^\s*Deployment failed/);
    assert.equal(await monitor.page.getAttribute('#overall-status', 'aria-label'), 'Status: Failed');
  });

  it('failures: the root cause first, then other failures, then cancellations greyed', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: rolledBackModel() });
    assert.match((await monitor.page.textContent('#final-status')) ?? '', /failed and was rolled back/);
    const items = await monitor.page.$$eval('.failure-list li', (lis: Element[]) =>
      lis.map((li): (string | null | undefined)[] => [li.className, li.getAttribute('data-id'), li.querySelector('.failure-kind')?.textContent?.trim()]),
    );
    assert.deepEqual(items, [
      ['failure failure-root', 'Queue', 'Root cause'],
      ['failure failure-other', 'Topic', 'Also failed'],
      ['failure failure-cancelled', 'Bucket', 'Cancelled'],
    ]);
    assert.match((await monitor.page.textContent('.failure-root .failure-reason')) ?? '', /Invalid REST API identifier/);
    const [root, cancelled] = await monitor.page.evaluate(() =>
      ['.failure-root', '.failure-cancelled'].map((s) => getComputedStyle(document.querySelector(s) as Element).color),
    );
    assert.notEqual(root, cancelled);
    assert.ok(await monitor.page.locator('#failures').isVisible());
    assert.ok(!(await monitor.page.locator('#outputs').isVisible()), 'no outputs table without outputs');
  });

  it('an error shows its message and hint, and opens the file it blames', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: errorModel() });
    assert.ok(await monitor.page.locator('#error').isVisible());
    assert.match((await monitor.page.textContent('#error-message')) ?? '', /unresolved resource dependencies/);
    assert.equal(await monitor.page.textContent('#error-hint'), 'Define MissingRole or remove the reference to it.');
    assert.equal((await monitor.page.textContent('#open-error-location'))?.trim(), 'template.yaml:42');
    await monitor.clearPosted();
    await monitor.page.click('#open-error-location');
    assert.deepEqual(await monitor.posted(), [{ type: 'openErrorLocation' }]);
    // Cleared by a delta (null means "gone").
    await monitor.send({ type: 'delta', delta: { fields: { error: null }, rows: [] } });
    assert.ok(!(await monitor.page.locator('#error').isVisible()));
  });

  it('warnings are listed and ignores messages that are not host messages', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: reviewModel() });
    assert.match((await monitor.page.textContent('#notes .warning')) ?? '', /CAPABILITY_IAM/);
    await monitor.page.evaluate(() => window.postMessage({ type: 'snapshot', model: { changes: 'nope' } }, '*'));
    await monitor.page.evaluate(() => window.postMessage({ type: 'delta', delta: { rows: [] } }, '*'));
    await monitor.send({ type: 'copied', key: 'unknown' });
    assert.equal(await monitor.page.locator('#change-table tbody tr').count(), 6);
  });
});
