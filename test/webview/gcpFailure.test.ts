/**
 * A failed Google Cloud apply, as the host's real view model draws it: the Terraform error once
 * (on the root cause), the deployment's line with its logs as links, and a click on a link asks
 * the host to open it (the page itself never navigates).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeploymentEvent } from '../../src/providers/provider';
import { toViewModel } from '../../src/ui/viewModel';
import { finishedIn } from '../support/uiSnapshots';
import { open, useHarness } from './setup';

const LOG = 'https://console.cloud.google.com/storage/browser/_details/orders-prod-us-central1-blueprint-config/orders/r-1/tf-error.ndjson';
const BUILD = 'https://console.cloud.google.com/cloud-build/builds;region=us-central1/b0b9d797?project=orders-prod';
const ERROR = 'Error: Error 409: topic already exists (HTTP 400)';

function failedApply() {
  const at = '2026-11-22T10:00:05.000Z';
  const events: DeploymentEvent[] = [
    {
      id: 'r-1|google_pubsub_topic.events|FAILED',
      timestamp: at,
      logicalId: 'google_pubsub_topic.events',
      resourceType: 'google_pubsub_topic',
      providerStatus: 'FAILED',
      status: 'failed',
      reason: ERROR,
      isCancellation: false,
    },
    {
      id: 'op|orders|FAILED',
      timestamp: at,
      logicalId: 'orders',
      resourceType: 'config.googleapis.com/Deployment',
      providerStatus: 'FAILED',
      status: 'failed',
      reason: `Terraform failed on google_pubsub_topic.events [APPLY_BUILD_RUN_FAILED] (full log: ${LOG}; Cloud Build: ${BUILD})`,
      isCancellation: false,
    },
  ];
  const snapshot = finishedIn('failed', true, {
    target: { provider: 'gcp', name: 'orders', region: 'us-central1' },
    changes: [{ logicalId: 'google_pubsub_topic.events', action: 'Add', resourceType: 'google_pubsub_topic' }],
    events,
    executed: true,
    providerStatus: 'FAILED',
  });
  return toViewModel(snapshot);
}

describe('webview Google Cloud failure', () => {
  const fixture = useHarness();

  it('tells the Terraform error once, and links the logs', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: failedApply() });
    const text = await monitor.page.evaluate(() => document.body.innerText);
    assert.equal(text.split('topic already exists').length - 1, 1, `once on the page:\n${text}`);
    const hrefs = await monitor.page.locator('#failures a.external-link').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, [LOG, BUILD]);
  });

  it('a click or Enter on a link asks the host to open it, and the page stays', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: failedApply() });
    await monitor.clearPosted();
    const before = monitor.page.url();
    await monitor.page.locator('#failures a.external-link', { hasText: 'tf-error.ndjson' }).click();
    assert.deepEqual(await monitor.posted(), [{ type: 'openLink', url: LOG }]);
    await monitor.page.locator('#failures a.external-link', { hasText: 'cloud-build' }).focus();
    await monitor.page.keyboard.press('Enter');
    assert.deepEqual(await monitor.posted(), [
      { type: 'openLink', url: LOG },
      { type: 'openLink', url: BUILD },
    ]);
    assert.equal(monitor.page.url(), before, 'the webview never navigates itself');
  });
});
