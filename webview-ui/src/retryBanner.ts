/**
 * "Retrying GetThings in 4 s: the service is throttling requests (Rate exceeded).": a countdown, so a retry never looks like a hang or a failure. Not a live region: the header
 * announces "Retrying" once, the countdown would chatter.
 */
import * as l10n from '@vscode/l10n';
import type { MonitorViewModel, RetryBanner as RetryModel } from '../../src/shared/viewModel';
import { retrySentence } from '../../src/shared/retryText';
import { codicon, el } from './dom';
import { changed, type Section } from './section';

export class RetryBanner implements Section {
  readonly element = el('section', { class: 'banner banner-warning', id: 'retry-banner', role: 'region', 'aria-label': l10n.t('Retrying') });
  private readonly text = el('span', { class: 'banner-text' });
  private timer: number | undefined;
  private retry: RetryModel | undefined;

  constructor() {
    this.element.append(codicon('sync', true), this.text);
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'retry')) return;
    this.retry = next.retry;
    this.element.hidden = !next.retry;
    window.clearInterval(this.timer);
    this.timer = undefined;
    if (!next.retry) return;
    this.tick();
    this.timer = window.setInterval(() => this.tick(), 250);
  }

  private tick(): void {
    const retry = this.retry;
    if (!retry) return;
    const seconds = Math.ceil((retry.retryAt - Date.now()) / 1000);
    this.text.textContent = retrySentence({ operation: retry.operation, reason: retry.message }, seconds, retry.attempt);
  }
}
