/**
 * The retry banner under a translation: the call and what happened come from the error's own
 * fields, not from taking its message apart, so a language that orders "<call>: <reason>"
 * differently still gets a banner that names the call once and the reason once.
 */
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import { DEFAULT_DEADLINES } from '../../src/deployment/deadlines';
import { timeoutError } from '../../src/deployment/machine/calls';
import { toProviderError as awsError } from '../../src/providers/aws/errors';
import { toProviderError as gcpError } from '../../src/providers/gcp/errors';
import { retryParts, retrySentence } from '../../src/shared/retryText';
import { useTranslations } from '../../src/shared/translations';

const REORDERED = {
  '{0}: {1}/What was being done, then what went wrong.': '{1} — beim Aufruf {0}',
  '{0} is throttling requests ({1}).': '{0} drosselt die Anfragen ({1}).',
  'Retrying {0} in {1} s: {2}': 'Erneut {0} in {1} s: {2}',
  'Reading the target': 'Ziel lesen',
};

describe('retry banner in another language', () => {
  afterEach(() => useTranslations(undefined));

  it('names the call and the reason from the error, whatever order the message has', () => {
    useTranslations(REORDERED);
    const info = toErrorInfo(awsError({ name: 'Throttling', message: 'Rate exceeded' }, { operation: 'DescribeStackEvents' }));
    assert.equal(info.message, 'CloudFormation drosselt die Anfragen (Rate exceeded). — beim Aufruf DescribeStackEvents');
    const parts = retryParts(info, false);
    assert.deepEqual(parts, { operation: 'DescribeStackEvents', reason: 'CloudFormation drosselt die Anfragen (Rate exceeded)' });
    assert.equal(retrySentence(parts, 2, 1), 'Erneut DescribeStackEvents in 2 s: CloudFormation drosselt die Anfragen (Rate exceeded).');
  });

  it("keeps a translated call name as the translator wrote it; English's lower-casing is for English", () => {
    useTranslations(REORDERED);
    const info = timeoutError(DEFAULT_DEADLINES, { call: 'describeTarget', kind: 'read' });
    assert.equal(retryParts(info, false).operation, 'Ziel lesen');
    useTranslations(undefined);
    const english = timeoutError(DEFAULT_DEADLINES, { call: 'describeTarget', kind: 'read' });
    assert.equal(retryParts(english, true).operation, 'reading the target');
  });

  it('an error without the fields (saved by an earlier version) is still read from its message', () => {
    const parts = retryParts({ message: 'deployments.get: Google Cloud is limiting the request rate (Quota exceeded).' }, true);
    assert.deepEqual(parts, { operation: 'deployments.get', reason: 'Google Cloud is limiting the request rate (Quota exceeded)' });
    const info = toErrorInfo(gcpError(Object.assign(new Error('Quota exceeded'), { code: 429, status: 429 }), { operation: 'deployments.get' }));
    assert.deepEqual(retryParts(info, true), parts);
  });
});
