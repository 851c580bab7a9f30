/** The functions every secret passes through before it leaves a running deployment. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  MIN_MASKED_SUBSTRING,
  SECRET_MASK,
  maskSecrets,
  redactSecrets,
  secretValuesOf,
  withoutSecretParameters,
  withoutSensitiveOutputs,
} from '../../src/deployment/secrets';

describe('deployment secrets', () => {
  it('collects secret inputs and sensitive outputs, once each, longest first', () => {
    const values = secretValuesOf({
      initialized: {
        parameters: [
          { key: 'Pw', value: 'hunter2-long', secret: true },
          { key: 'Again', value: 'hunter2-long', secret: true },
          { key: 'Empty', value: '', secret: true },
          { key: 'Env', value: 'prod' },
        ],
      },
      outputs: [
        { key: 'Conn', value: 'db://u:hunter2-long@h', sensitive: true },
        { key: 'Masked', value: SECRET_MASK, sensitive: true },
        { key: 'Url', value: 'https://x' },
      ],
    });
    assert.deepEqual(values, ['db://u:hunter2-long@h', 'hunter2-long']);
  });

  it('masks every occurrence of a secret of maskable length, and only those', () => {
    assert.equal(maskSecrets('a hunter2-long b hunter2-long', ['hunter2-long']), `a ${SECRET_MASK} b ${SECRET_MASK}`);
    const short = 'x'.repeat(MIN_MASKED_SUBSTRING - 1);
    assert.equal(maskSecrets(`took ${short} ms`, [short]), `took ${short} ms`);
    // Longest first: the whole connection string is masked, not left with its edges.
    assert.equal(maskSecrets('see db://u:hunter2-long@h', ['db://u:hunter2-long@h', 'hunter2-long']), `see ${SECRET_MASK}`);
  });

  it('redacts a deep copy, leaving the original as the live deployment needs it', () => {
    const original = { notices: ['echoed hunter2-long'], nested: { list: [{ reason: 'pw=hunter2-long;' }] }, count: 3, flag: true };
    const copy = redactSecrets(original, ['hunter2-long']);
    assert.deepEqual(copy, { notices: [`echoed ${SECRET_MASK}`], nested: { list: [{ reason: `pw=${SECRET_MASK};` }] }, count: 3, flag: true });
    assert.equal(original.notices[0], 'echoed hunter2-long');
    assert.equal(redactSecrets(original, []), original, 'nothing to redact: no copy');
  });

  it('blanks secret parameter values and masks sensitive outputs where they stand, whatever their length', () => {
    assert.deepEqual(
      withoutSecretParameters([
        { key: 'Pin', value: '7', secret: true },
        { key: 'Env', value: 'prod' },
      ]),
      [
        { key: 'Pin', value: '', secret: true },
        { key: 'Env', value: 'prod' },
      ],
    );
    assert.deepEqual(
      withoutSensitiveOutputs([
        { key: 'Pin', value: '7', sensitive: true },
        { key: 'Url', value: 'https://x' },
      ]),
      [
        { key: 'Pin', value: SECRET_MASK, sensitive: true },
        { key: 'Url', value: 'https://x' },
      ],
    );
  });
});
