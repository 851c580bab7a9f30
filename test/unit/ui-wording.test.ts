/**
 * The host's notifications and log lines read as plain sentences: no ".:" where VS Code joins a
 * progress notification's title and message, no doubled full stop where a message that ends
 * with one meets the text after it, and a place in parentheses inside its sentence.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ErrorInfo } from '../../src/deployment/errorInfo';
import { PHASE_TAGS } from '../../src/deployment/machine/tags';
import { followInLog, type LogSink } from '../../src/ui/deploymentLog';
import { clause, sentences, withPlace } from '../../src/shared/sentences';
import { backgroundNoticeText, comeBackText, errorLogLine, inputErrorText, settingsErrorText, stopRefusalText } from '../../src/ui/noticeTexts';
import { finishedIn } from '../support/uiSnapshots';

/** Punctuation that is doubled or out of place: ".:", "..", ". (", ".)", "?." and the like. */
const ROUGH = /[.!?][.:;,!?]|[.!?:;,]\s+[.:;,)]|\.\s+\(|\.\)|\s[.:;,]|:\s*$/;

function assertReads(text: string): void {
  assert.doesNotMatch(text.replace(/…/g, ''), ROUGH, `rough punctuation in: ${text}`);
  assert.match(text, /[.!?…]$/, `not a whole sentence: ${text}`);
}

/** Messages as they come: with and without a full stop at the end. */
const MESSAGES = ['The template is not valid YAML', 'The template is not valid YAML.', 'Is the file saved?'];
const HINTS = [undefined, 'Fix the indentation', 'Fix the indentation.'];

describe('host wording', () => {
  it('sentences: each piece ends once, whatever it ends with', () => {
    assert.equal(sentences('The setting is wrong', 'Use a string.', 'Nothing was changed.'), 'The setting is wrong. Use a string. Nothing was changed.');
    assert.equal(sentences('Is it saved?', undefined, '  ', 'Nothing was changed'), 'Is it saved? Nothing was changed.');
    assert.equal(clause('Wait…'), 'Wait…');
    assert.equal(withPlace('Bad YAML.', 'a.yaml:3'), 'Bad YAML (a.yaml:3).');
    for (const message of MESSAGES) for (const hint of HINTS) assertReads(sentences(message, hint, 'Nothing was changed.'));
  });

  it('the background notice is one sentence, as VS Code joins it ("title: message")', () => {
    const { title, message } = backgroundNoticeText('orders-api');
    const shown = `${title}: ${message}`;
    assert.equal(shown, 'orders-api is still deploying in the background: click its item in the status bar to bring the monitor back.');
    assertReads(shown);
  });

  it('a bad input notification: the message and its hint as sentences, whatever they end with', () => {
    assert.equal(
      inputErrorText('orders-api', { message: 'The template is not valid YAML.', hint: 'Fix the indentation.' }),
      'Stackwatch: orders-api was not deployed. The template is not valid YAML. Fix the indentation.',
    );
    for (const message of MESSAGES) for (const hint of HINTS) assertReads(inputErrorText('orders-api', { message, hint }));
  });

  it('the log line of an error: the place in parentheses inside the sentence', () => {
    assert.equal(
      errorLogLine('orders-api', { message: 'The template is not valid YAML.', file: 'template.yaml', line: 3, hint: 'Fix the indentation' }),
      'orders-api: The template is not valid YAML (template.yaml:3). Fix the indentation.',
    );
    for (const message of MESSAGES)
      for (const hint of HINTS) {
        assertReads(errorLogLine('orders-api', { message, hint, file: 'template.yaml', line: 3 }));
        assertReads(errorLogLine('orders-api', { message, hint }));
      }
  });

  it('the log the real deployment log writes for an ended deployment with an error', () => {
    const lines: string[] = [];
    const sink: LogSink = { info: (t: string) => lines.push(t), warn: (t: string) => lines.push(t), error: (t: string) => lines.push(t) };
    const error: ErrorInfo = { code: 'Template', message: 'The template is not valid YAML.', retryable: false, file: 'template.yaml', line: 3 };
    const snapshot = finishedIn('failed', true, { error });
    followInLog({ snapshot, onDidChange: () => () => undefined }, sink);
    const line = lines.find((l) => l.includes('not valid YAML'));
    assert.ok(line, `no error line in: ${lines.join(' | ')}`);
    assertReads(line);
  });

  it('Stop refused, a settings error and the come-back notices read as sentences', () => {
    assert.equal(stopRefusalText('orders-api', undefined), 'Stackwatch: orders-api cannot be stopped now. It is not deploying.');
    for (const reason of [undefined, ...MESSAGES]) assertReads(stopRefusalText('orders-api', reason));
    for (const message of MESSAGES) for (const hint of HINTS) assertReads(settingsErrorText(message, hint));
    const comeBack = PHASE_TAGS.map((phase) => comeBackText(phase, 'orders-api')).filter((t): t is string => t !== undefined);
    assert.ok(comeBack.length >= 4);
    for (const text of comeBack) assertReads(text);
  });
});
