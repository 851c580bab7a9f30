/** "3/11 done, 0 errors; stack state: …" and a bar that fills with done/total. */
import * as l10n from '@vscode/l10n';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { el } from './dom';
import { changed, type Section } from './section';

const RUNNING_PHASES = new Set(['starting', 'staging', 'monitoring']);

export class ProgressSection implements Section {
  readonly element = el('section', { class: 'progress', 'aria-label': l10n.t('Progress') });
  private readonly line = el('p', { class: 'status-line', id: 'status-line' });
  private readonly bar = el('vscode-progress-bar', { id: 'progress-bar', 'aria-label': l10n.t('Deployment progress') });

  constructor() {
    this.element.append(this.line, this.bar);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'statusLine', 'progress', 'phase', 'final')) return;
    // Nothing to count and nothing running (awaiting consent, or ended before any change): no "0/0 done".
    this.element.hidden = next.progress.total === 0 && !RUNNING_PHASES.has(next.phase);
    this.line.textContent = next.statusLine;
    // "0/0 done" while the change list is still being prepared says nothing; the spinning bar says enough.
    this.line.hidden = next.progress.total === 0;
    const { done, total, failed } = next.progress;
    this.bar.classList.toggle('has-errors', failed > 0);
    if (total > 0) {
      this.bar.hidden = false;
      this.bar.indeterminate = false;
      this.bar.max = total;
      this.bar.value = done;
      this.bar.setAttribute('aria-valuetext', l10n.t('{0} of {1} done', done, total));
    } else {
      // Nothing countable yet (starting, staging): show activity, not a fake percentage.
      this.bar.hidden = !RUNNING_PHASES.has(next.phase);
      this.bar.indeterminate = true;
      this.bar.value = undefined;
    }
  }
}
