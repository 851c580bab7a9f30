/**
 * The words each provider gives the monitor, and the sentences the host builds from them (the
 * stop's question and reasons, the log's status words, the retry banner): plain sentences, with
 * no doubled punctuation, no parentheses inside parentheses, no double spaces, and each sentence
 * starting with a capital.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { StopFacts } from '../../src/providers/descriptor';
import { descriptorOf } from '../../src/providers/registry';
import { toProviderError as awsError } from '../../src/providers/aws/errors';
import { toProviderError as gcpError } from '../../src/providers/gcp/errors';
import { ACTIVITY_ORDER, type ShownStatus } from '../../src/deployment/status';
import { retryParts, retrySentence } from '../../src/shared/retryText';
import { statusWords } from '../../src/ui/deploymentLog';
import { checkRunningNote } from '../../src/ui/steps';

const PROVIDERS = ['aws', 'gcp'] as const;

const FACTS: StopFacts[] = [
  { stopRequested: false, operationKind: 'update', providerStatus: 'UPDATE_IN_PROGRESS', rollingBack: false },
  { stopRequested: false, operationKind: 'create', providerStatus: 'CREATE_IN_PROGRESS', rollingBack: false },
  { stopRequested: true, operationKind: 'update', providerStatus: 'UPDATE_IN_PROGRESS', rollingBack: false },
  { stopRequested: false, operationKind: undefined, providerStatus: undefined, rollingBack: false },
  { stopRequested: false, operationKind: 'update', providerStatus: 'UPDATE_ROLLBACK_IN_PROGRESS', rollingBack: true },
];

/** Every problem of punctuation in a text, by name. */
function problems(text: string): string[] {
  const found: string[] = [];
  // "…" and "..." are one mark; a URL's "://" is not punctuation in the sentence.
  const plain = text.replace(/https?:\/\/\S+/g, 'URL');
  if (/[.,;:!?]\s*[.,;:!?]/.test(plain.replace(/\.\.\./g, '…'))) found.push('doubled punctuation');
  if (/[.,;:]\)/.test(plain)) found.push('punctuation before a closing parenthesis');
  if (/\([^)]*\(/.test(plain)) found.push('parentheses inside parentheses');
  if (/ {2}/.test(plain)) found.push('a double space');
  if (/\s[.,;:!?]/.test(plain)) found.push('a space before punctuation');
  return found;
}

/** A text that is one or more sentences: each starts with a capital (or a quoted name). */
function sentenceProblems(text: string): string[] {
  const found = problems(text);
  for (const sentence of text.split(/(?<=[.!?])\s+/)) if (!/^[A-Z"“'`$]/.test(sentence)) found.push(`a sentence without a capital: "${sentence}"`);
  return found;
}

function check(where: string, text: string, sentence = false): void {
  const found = sentence ? sentenceProblems(text) : problems(text);
  assert.deepEqual(found, [], `${where}: "${text}"`);
}

describe('the words the monitor is given', () => {
  for (const provider of PROVIDERS) {
    it(`${provider}: the vocabulary's words and sentences`, () => {
      const { words } = descriptorOf(provider);
      for (const [key, value] of Object.entries(words as unknown as Record<string, string | Record<string, string>>)) {
        if (typeof value === 'string') check(`words.${key}`, value, ['saveStagedHint', 'stopped', 'reviewNote', 'loadStep'].includes(key));
        else for (const [action, label] of Object.entries(value)) check(`words.${key}.${action}`, label);
      }
    });

    it(`${provider}: Stop's reasons and question`, () => {
      const stop = descriptorOf(provider).stop;
      for (const facts of FACTS) {
        const reason = stop.control(facts).reason;
        if (reason) check(`stop reason for ${JSON.stringify(facts)}`, reason, true);
      }
      const question = stop.confirmation('orders');
      if (question) {
        check('stop question', question.message, true);
        check('stop detail', question.detail, true);
        check('stop answer', question.confirm, true);
        check('keep answer', question.keep, true);
      }
    });

    it(`${provider}: the log's word for every status`, () => {
      const statuses: ShownStatus[] = [...ACTIVITY_ORDER, 'retrying', 'lostContact'];
      for (const status of statuses) check(`status ${status}`, statusWords(status, descriptorOf(provider).words));
    });
  }

  it('the step list note and the retry banner', () => {
    check('check note', checkRunningNote());
    const errors = [
      awsError({ name: 'Throttling', message: 'Rate exceeded' }, { operation: 'DescribeStackEvents' }),
      awsError({ name: 'TimeoutError', code: 'ECONNRESET', message: 'socket hang up' }, { operation: 'DescribeStacks' }),
      gcpError(Object.assign(new Error('Quota exceeded'), { code: 429, status: 429 }), { operation: 'deployments.get' }),
    ];
    for (const error of errors) {
      for (const [seconds, attempt] of [
        [3, 1],
        [0, 4],
      ] as const)
        check('retry banner', retrySentence(retryParts({ message: error.message, ...error.details }, true), seconds, attempt), true);
    }
  });
});
