/** The model's error (with a jump to the file it blames), notices and warnings. */
import * as l10n from '@vscode/l10n';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { codicon, el, fill } from './dom';
import { linkified } from './links';
import { changed, type Section, type SectionContext } from './section';

export class Messages implements Section {
  readonly element = el('section', { class: 'messages' });
  private readonly error = el('div', { class: 'banner banner-error', id: 'error', role: 'alert' });
  private readonly notes = el('ul', { class: 'notes', id: 'notes', 'aria-label': l10n.t('Notices and warnings') });

  constructor(private readonly ctx: SectionContext) {
    this.element.append(this.error, this.notes);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (changed(next, prev, 'error', 'failures')) this.renderError(next);
    if (changed(next, prev, 'notices', 'warnings')) {
      fill(
        this.notes,
        ...next.warnings.map((text) =>
          el(
            'li',
            { class: 'warning' },
            el('span', { class: 'tone-warning', role: 'img', 'aria-label': l10n.t('Warning') }, codicon('warning')),
            ' ',
            ...linkified(text),
          ),
        ),
        ...next.notices.map((text) =>
          el('li', { class: 'notice' }, el('span', { class: 'muted', role: 'img', 'aria-label': l10n.t('Notice') }, codicon('info')), ' ', ...linkified(text)),
        ),
      );
      this.notes.hidden = next.warnings.length + next.notices.length === 0;
    }
  }

  private renderError(model: MonitorViewModel): void {
    // Already on the page (the failure list's root cause, or the lost-contact panel): the host says so.
    const toldElsewhere = model.error?.toldIn !== undefined;
    const error = toldElsewhere ? undefined : model.error;
    this.error.hidden = !error;
    if (!error) {
      this.error.replaceChildren();
      return;
    }
    let location: HTMLElement | undefined;
    if (error.file) {
      const where = error.line ? `${error.file}:${error.line}` : error.file;
      location = el(
        'vscode-button',
        { secondary: true, id: 'open-error-location', 'aria-label': l10n.t('Open {0}', where) },
        codicon('go-to-file'),
        ` ${where}`,
      );
      location.addEventListener('click', () => this.ctx.post({ type: 'openErrorLocation' }));
    }
    fill(
      this.error,
      el('span', { class: 'tone-error' }, codicon('error')),
      el(
        'div',
        { class: 'banner-text' },
        el('strong', { id: 'error-message' }, ...linkified(error.message)),
        error.hint ? el('div', { class: 'hint', id: 'error-hint' }, error.hint) : undefined,
        error.setting ? el('div', { class: 'muted' }, l10n.t('Setting: '), el('code', {}, error.setting)) : undefined,
        location,
      ),
    );
  }
}
