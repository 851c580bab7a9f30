/**
 * Links in failure texts: a Google Cloud failure names its Cloud Build page and logs, and the
 * failure card and the consent prompt show them as real links (a click asks the host to open
 * one, test/webview/gcpFailure.test.ts). Only https becomes a link, and nothing in a reason becomes markup.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consentModel, rolledBackModel } from './models';
import { open, useHarness } from './setup';

const BUILD = 'https://console.cloud.google.com/cloud-build/builds;region=us-central1/6f1d3a52-0c1e?project=orders-prod';
const LOG = 'https://console.cloud.google.com/storage/browser/_details/orders-prod-us-central1-blueprint-config/orders/r-2/logs';

const REASON = `Cloud Build was refused permission: <b>denied</b> [CLOUD_BUILD_PERMISSION_DENIED] (Cloud Build: ${BUILD}; build log: ${LOG}; also http://example.test/x and javascript:alert(1))`;

describe('webview links in failure texts', () => {
  const fixture = useHarness();

  it('the root cause shows its https URLs as links, the rest as plain text', async () => {
    const monitor = await open(fixture);
    const failed = rolledBackModel();
    await monitor.send({
      type: 'snapshot',
      model: {
        ...failed,
        failures: {
          ...failed.failures,
          rootCause: {
            logicalId: 'orders',
            resourceType: 'config.googleapis.com/Deployment',
            providerStatus: 'CLOUD_BUILD_PERMISSION_DENIED',
            reason: REASON,
            timestamp: '2026-11-23T12:00:03Z',
            onTarget: true,
          },
        },
      },
    });
    const reason = monitor.page.locator('.failure-root .failure-reason');
    assert.equal(await reason.textContent(), REASON, 'the text reads exactly as the provider said it');
    const links = await reason.locator('a').evaluateAll((anchors) => anchors.map((a) => [a.getAttribute('href'), a.textContent]));
    assert.deepEqual(links, [
      [BUILD, BUILD],
      [LOG, LOG],
    ]);
    assert.equal(await reason.locator('b').count(), 0, 'markup in a reason stays text');
  });

  it('an error banner (a failed preview) links its logs too', async () => {
    const monitor = await open(fixture);
    const failed = rolledBackModel();
    const message = `The provider could not prepare the changes: Error: No value for required variable [PREVIEW_BUILD_RUN_FAILED] (Cloud Build: ${BUILD})`;
    await monitor.send({
      type: 'snapshot',
      model: { ...failed, failures: { otherFailures: [], cancellations: [] }, error: { code: 'Validation', message, retryable: false } },
    });
    const hrefs = await monitor.page.locator('#error-message a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, [BUILD]);
    assert.equal(await monitor.page.textContent('#error-message'), message);
  });

  it('the consent reason (a failed delete) links its logs too', async () => {
    const monitor = await open(fixture);
    const asking = consentModel();
    const reason = `The last delete of orders failed, so it still exists: Error: bucket not empty [DELETE_BUILD_RUN_FAILED] (Cloud Build: ${BUILD}).`;
    await monitor.send({ type: 'snapshot', model: { ...asking, consent: { ...(asking.consent ?? { stackStatus: 'FAILED', actions: [] }), reason } } });
    const hrefs = await monitor.page.locator('#consent-reason a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, [BUILD], 'the URL ends before the sentence\'s ")."');
    assert.equal(await monitor.page.textContent('#consent-reason'), reason);
  });

  it("a notice (the running apply's Cloud Build log) links it too", async () => {
    const monitor = await open(fixture);
    const done = rolledBackModel();
    const notice = `Infrastructure Manager runs this apply in Cloud Build (build 6f1d3a52-0c1e); its log: ${LOG}.`;
    await monitor.send({ type: 'snapshot', model: { ...done, notices: [notice] } });
    const item = monitor.page.locator('#notes li.notice');
    assert.deepEqual(await item.locator('a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href'))), [LOG]);
    assert.equal((await item.textContent())?.trim(), notice);
  });
});
