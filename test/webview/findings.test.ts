/**
 * What the review and the failure pages add: validation findings with Go to Line, a hook failure's
 * card (annotations, remediation, request ID, property, the resource's link), the consent's root
 * cause, deployment options and Compare with Deployed. In every theme.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Theme } from './harness';
import { HOOK_FAILURE, consentRootCauseModel, findingsModel, hookFailureModel, optionsModel } from './depthModels';
import { consentModel, reviewModel } from './models';
import { open, useHarness } from './setup';

const THEMES: Theme[] = ['light', 'dark', 'hc-dark', 'hc-light'];

describe('webview findings, hook failures and options', () => {
  const fixture = useHarness();

  for (const theme of THEMES) {
    it(`findings: errors and warnings under the header, each with resource and path; Go to Line posts its index (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: reviewModel() });
      assert.ok(await monitor.page.locator('#findings').isHidden(), 'nothing found, nothing shown');
      await monitor.send({ type: 'snapshot', model: findingsModel() });
      const page = monitor.page;
      assert.equal(await page.textContent('#findings-heading'), 'Validation found 1 error, 1 warning');
      // Under the header, before how it ended.
      assert.ok(
        await page.$eval(
          '#findings',
          (findings) => findings.compareDocumentPosition(document.getElementById('completion') as Node) === Node.DOCUMENT_POSITION_FOLLOWING,
        ),
      );
      const items = await page.$$eval('#findings .finding', (lis) =>
        lis.map((li) => [
          li.querySelector('.finding-icon')?.getAttribute('aria-label'),
          li.querySelector('.finding-message')?.textContent,
          li.querySelector('.finding-id')?.textContent,
          li.querySelector('.finding-path')?.textContent,
          li.querySelector('.go-to-line') !== null,
        ]),
      );
      // Errors first, though the model lists the warning first.
      assert.deepEqual(items, [
        ['Error', 'A resource with the name demo-bucket already exists.', 'Bucket', '/Resources/Bucket/Properties/BucketName', true],
        ['Warning', 'The bucket name demo-logs is close to the account quota for buckets.', 'LogBucket', '/Resources/LogBucket/Properties/BucketName', false],
      ]);
      const colours = await page.$$eval('#findings .finding-icon', (icons) => icons.map((icon) => getComputedStyle(icon).color));
      assert.notEqual(colours[0], colours[1], 'an error and a warning read differently');
      await monitor.clearPosted();
      const goTo = page.locator('#findings .finding-error .go-to-line');
      assert.equal(await goTo.getAttribute('aria-label'), 'Go to line: /Resources/Bucket/Properties/BucketName');
      await goTo.focus();
      await page.keyboard.press('Enter');
      // Its index in the model, not its place on the page.
      assert.deepEqual(await monitor.posted(), [{ type: 'openFinding', index: 1 }]);
    });

    it(`a hook failure's card: hook type, status and reason, each annotation with its remediation link, request ID, property, and the resource's link (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: hookFailureModel() });
      const root = monitor.page.locator('.failure-root');
      const hook = root.locator('.hook-card');
      assert.equal(await hook.getAttribute('aria-label'), 'Hook Private::Guard::S3Encryption');
      assert.equal(await hook.locator('.hook-type').textContent(), 'Private::Guard::S3Encryption');
      assert.equal(await hook.locator('.hook-status').textContent(), 'HOOK_COMPLETE_FAILED');
      assert.equal(await hook.locator('.hook-facts').textContent(), ' PRE_PROVISION, mode FAIL');
      assert.equal(await hook.locator('.hook-reason').textContent(), 'Template failed validation: the bucket is not encrypted.');
      const annotations = await hook
        .locator('.hook-annotation')
        .evaluateAll((lis) =>
          lis.map((li) => [
            li.querySelector('.annotation-name')?.textContent,
            li.querySelector('.annotation-status')?.textContent,
            li.querySelector('.annotation-message')?.textContent ?? null,
            li.querySelector('.annotation-remediation')?.textContent ?? null,
            li.querySelector('.annotation-remediation a')?.getAttribute('href') ?? null,
          ]),
        );
      const rule = (HOOK_FAILURE.hook?.annotations ?? [])[0];
      assert.deepEqual(annotations, [
        ['S3BucketEncryptionRule', 'FAILED', 'BucketEncryption must be set.', `Remediation: ${rule.remediation} ${rule.remediationLink}`, rule.remediationLink],
        ['S3BucketPublicAccessRule', 'PASSED', null, null, null],
      ]);
      assert.equal(await root.locator('.failure-property code').textContent(), 'Properties.BucketEncryption');
      assert.equal(await root.locator('.request-id').textContent(), HOOK_FAILURE.requestId);
      assert.equal(await root.locator('.request-id').evaluate((code) => getComputedStyle(code).userSelect), 'all', 'one click selects the whole ID');
      // The badge reads in every theme: its text is not the colour of its background.
      const badge = await hook.locator('.hook-status').evaluate((node) => [getComputedStyle(node).color, getComputedStyle(node).backgroundColor]);
      assert.notEqual(badge[0], badge[1]);
      await monitor.clearPosted();
      await root.locator('.resource-link').click();
      assert.deepEqual(await monitor.posted(), [{ type: 'openResource', logicalId: 'Bucket' }]);
    });

    it(`review: deployment options post setOption; a disabled one shows its note; Compare with Deployed posts its message (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: reviewModel() });
      assert.ok(await monitor.page.locator('#deployment-options').isHidden());
      assert.equal(await monitor.page.locator('#btn-compare').count(), 0, 'no compare unless the host offers it');
      await monitor.send({ type: 'snapshot', model: optionsModel() });
      const page = monitor.page;
      assert.equal(await page.textContent('#options-heading'), 'Deployment options');
      await monitor.clearPosted();
      await page.click('[data-option="revertDrift"] vscode-checkbox');
      const select = page.locator('[data-option="onFailure"] vscode-single-select');
      assert.equal(await select.evaluate((node) => (node as HTMLElement & { value: string }).value), 'ROLLBACK');
      await select.click();
      await page.locator('[data-option="onFailure"] vscode-single-select li', { hasText: 'Delete the stack' }).click();
      const express = page.locator('[data-option="express"]');
      assert.equal(await express.locator('vscode-checkbox').evaluate((node) => (node as HTMLElement & { disabled: boolean }).disabled), true);
      assert.equal(await express.locator('.option-note').textContent(), 'Express mode applies only to updates; this is a create.');
      assert.match((await express.locator('vscode-checkbox').getAttribute('aria-describedby')) ?? '', /option-note-express/);
      await express.locator('vscode-checkbox').click({ force: true });
      await page.click('#btn-compare');
      assert.deepEqual(await monitor.posted(), [
        { type: 'setOption', id: 'revertDrift', value: true },
        { type: 'setOption', id: 'onFailure', value: 'DELETE' },
        { type: 'compareWithDeployed' },
      ]);
    });

    it(`consent: "Why it can't be updated" tells the last root cause, with its hook and request ID, above the question (${theme})`, async () => {
      const monitor = await open(fixture, { theme });
      await monitor.send({ type: 'snapshot', model: consentModel() });
      assert.equal(await monitor.page.locator('#consent-root-cause').count(), 0);
      await monitor.send({ type: 'snapshot', model: consentRootCauseModel() });
      const cause = monitor.page.locator('#consent-root-cause');
      assert.equal(await cause.locator('h3').textContent(), 'Why it can’t be updated');
      assert.equal(await cause.locator('.failure-id').textContent(), 'Bucket');
      assert.equal(await cause.locator('.failure-reason').textContent(), HOOK_FAILURE.reason);
      assert.equal(await cause.locator('.hook-type').textContent(), 'Private::Guard::S3Encryption');
      assert.equal(await cause.locator('.request-id').textContent(), HOOK_FAILURE.requestId);
      const question = monitor.page.locator('#consent-body p', { hasText: 'How do you want to continue?' });
      assert.ok(
        await cause.evaluate((node, q) => node.compareDocumentPosition(q as Node) === Node.DOCUMENT_POSITION_FOLLOWING, await question.elementHandle()),
      );
    });
  }
});
