/**
 * The "start automatically" checkbox. It sits under the header, above everything that grows while
 * a deployment gets ready: at the foot of the page it moved down as the change list arrived, and a
 * click aimed at it landed on the progress bar.
 */
import * as l10n from '@vscode/l10n';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { el } from './dom';
import { changed, type Section, type SectionContext } from './section';

export class AutoExecuteToggle implements Section {
  readonly element = el('section', { class: 'auto-execute', 'aria-label': l10n.t('Start automatically') });
  private readonly checkbox: VscodeCheckbox = el('vscode-checkbox', {
    id: 'auto-execute',
    label: l10n.t('Start deployment automatically when changes are ready'),
  });

  constructor(ctx: SectionContext) {
    this.checkbox.addEventListener('change', () => ctx.post({ type: 'setAutoExecute', value: this.checkbox.checked }));
    this.element.append(this.checkbox);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'autoExecute', 'phase')) return;
    if (this.checkbox.checked !== next.autoExecute) this.checkbox.checked = next.autoExecute;
    // After the change list is executed the choice no longer affects this deployment.
    this.element.hidden = next.phase === 'final' || next.phase === 'monitoring' || next.phase === 'consent' || next.phase === 'lostContact';
  }
}
