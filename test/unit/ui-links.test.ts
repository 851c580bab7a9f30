/**
 * Which links the host opens for the monitor: only an https URL that is in a text of the model it
 * sent, found the way the webview finds it (src/shared/links.ts), so a compromised page cannot
 * make the host open anything else.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findLinks, linksIn } from '../../src/shared/links';
import { toViewModel } from '../../src/ui/viewModel';
import { finishedIn } from '../support/uiSnapshots';

const LOG = 'https://console.cloud.google.com/storage/browser/_details/b/orders/r-1/tf-error.ndjson';

describe('links in the model', () => {
  it('finds https links the way the webview draws them: trailing punctuation is the sentence’s, other schemes are text', () => {
    const text = `Failed (full log: ${LOG}; also http://example.test/x, javascript:alert(1) and https://a.example/b.)`;
    assert.deepEqual(
      findLinks(text).map((link) => [link.text, link.href]),
      [
        [LOG, LOG],
        ['https://a.example/b', 'https://a.example/b'],
      ],
    );
  });

  it('the host vouches only for links in a text it sent', () => {
    const model = toViewModel(finishedIn('failed', true, { changes: [], notices: [`Terraform failed [APPLY_BUILD_RUN_FAILED] (full log: ${LOG})`] }));
    const shown = linksIn(model);
    assert.ok(shown.has(LOG));
    assert.ok(!shown.has('https://evil.example/'));
    assert.ok(!shown.has(`${LOG}x`));
  });
});
