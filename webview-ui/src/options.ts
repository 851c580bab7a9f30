/**
 * The review's deployment options for this target. Changing one stages again with it (the host
 * does that and remembers the choice), so the options are locked while staging runs; an option
 * that does not apply stays visible, disabled, with the note that says why. Once staging failed
 * with nothing executed (the model offers Deploy Again) they are editable again: the host saves a
 * change for the next deployment, and the group's note says so.
 */
import * as l10n from '@vscode/l10n';
import type { MonitorViewModel, OptionRow } from '../../src/shared/viewModel';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import { el, fill } from './dom';
import { changed, type Section, type SectionContext } from './section';

export class DeploymentOptions implements Section {
  readonly element = el('section', { class: 'deployment-options', id: 'deployment-options', 'aria-labelledby': 'options-heading' });

  constructor(private readonly ctx: SectionContext) {
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'options', 'phase', 'optionsNote', 'controls')) return;
    const options = next.options ?? [];
    const forNextDeployment = next.phase === 'final' && next.controls.deployAgain;
    const shown = options.length > 0 && (next.phase === 'review' || next.phase === 'staging' || forNextDeployment);
    this.element.hidden = !shown;
    if (!shown) {
      this.element.replaceChildren();
      return;
    }
    const locked = next.phase !== 'review' && !forNextDeployment;
    // Keep focus on the control that was just changed when the re-staged model comes back.
    const focused = document.activeElement?.closest('[data-option]')?.getAttribute('data-option');
    fill(
      this.element,
      el('h2', { id: 'options-heading' }, l10n.t('Deployment options')),
      el('div', { class: 'option-list', role: 'group', 'aria-labelledby': 'options-heading' }, ...options.map((option) => this.item(option, locked))),
      // The change the person just made is confirmed where they made it.
      next.optionsNote ? el('p', { class: 'options-note', id: 'options-note', role: 'status' }, next.optionsNote) : undefined,
    );
    if (focused) this.element.querySelector<HTMLElement>(`[data-option="${CSS.escape(focused)}"] .option-control`)?.focus();
  }

  private item(option: OptionRow, locked: boolean): HTMLElement {
    const descId = `option-desc-${option.id}`;
    const noteId = `option-note-${option.id}`;
    const describedBy = [descId, option.note ? noteId : ''].filter(Boolean).join(' ');
    const disabled = !option.enabled || locked;
    let control: HTMLElement;
    if (option.kind === 'flag') {
      const checkbox: VscodeCheckbox = el('vscode-checkbox', { class: 'option-control', label: option.label, 'aria-describedby': describedBy });
      checkbox.checked = option.value === true;
      checkbox.disabled = disabled;
      // Said on the host too, where assistive technology and checkers look past the shadow root.
      if (disabled) checkbox.setAttribute('aria-disabled', 'true');
      checkbox.addEventListener('change', () => this.ctx.post({ type: 'setOption', id: option.id, value: checkbox.checked }));
      control = checkbox;
    } else {
      const labelId = `option-label-${option.id}`;
      const select: VscodeSingleSelect = el(
        'vscode-single-select',
        { class: 'option-control', 'aria-labelledby': labelId, 'aria-describedby': describedBy },
        ...(option.choices ?? []).map((choice) => el('vscode-option', { value: choice.value, selected: choice.value === option.value }, choice.label)),
      );
      select.disabled = disabled;
      // Its combobox lives in a shadow root that aria-labelledby cannot reach; the component gives it this name.
      select.label = option.label;
      select.addEventListener('change', () => this.ctx.post({ type: 'setOption', id: option.id, value: select.value }));
      control = el('label', { class: 'option-label', id: labelId }, option.label);
      control = el('div', { class: 'option-choice' }, control, select);
    }
    return el(
      'div',
      { class: `option${disabled ? ' option-disabled' : ''}`, 'data-option': option.id },
      control,
      el('div', { class: 'option-description muted', id: descId }, option.description),
      option.note ? el('div', { class: 'option-note', id: noteId }, option.note) : undefined,
    );
  }
}
