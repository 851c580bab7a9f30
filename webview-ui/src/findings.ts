/**
 * What the provider's validation found in what was staged: errors (it failed staging) and warnings
 * (they never block), each with the resource and template path it names, and Go to Line when the
 * host can open the template there.
 */
import * as l10n from '@vscode/l10n';
import type { FindingRow, MonitorViewModel } from '../../src/shared/viewModel';
import { codicon, el, fill } from './dom';
import { linkified } from './links';
import { changed, type Section, type SectionContext } from './section';

export class Findings implements Section {
  readonly element = el('section', { class: 'findings', id: 'findings', 'aria-labelledby': 'findings-heading' });

  constructor(private readonly ctx: SectionContext) {
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'findings')) return;
    const findings = next.findings ?? [];
    this.element.hidden = findings.length === 0;
    if (findings.length === 0) {
      this.element.replaceChildren();
      return;
    }
    const errors = findings.filter((finding) => finding.severity === 'error').length;
    const warnings = findings.length - errors;
    const counts = countsText(errors, warnings);
    fill(
      this.element,
      el('h2', { id: 'findings-heading' }, l10n.t('Validation found {0}', counts)),
      el(
        'ul',
        { class: 'finding-list', 'aria-labelledby': 'findings-heading' },
        // Errors first (they are why it failed); each keeps its index in the model, which Go to Line names.
        ...findings
          .map((finding, index) => ({ finding, index }))
          .sort((a, b) => Number(b.finding.severity === 'error') - Number(a.finding.severity === 'error'))
          .map(({ finding, index }) => this.item(finding, index)),
      ),
    );
  }

  private item(finding: FindingRow, index: number): HTMLLIElement {
    const error = finding.severity === 'error';
    let goTo: HTMLElement | undefined;
    if (finding.hasLocation) {
      goTo = el(
        'vscode-button',
        { secondary: true, class: 'go-to-line', 'aria-label': l10n.t('Go to line: {0}', finding.path ?? finding.logicalId ?? finding.message) },
        codicon('go-to-file'),
        ` ${l10n.t('Go to Line')}`,
      );
      goTo.addEventListener('click', () => this.ctx.post({ type: 'openFinding', index }));
    }
    return el(
      'li',
      { class: `finding finding-${finding.severity}`, 'data-index': index },
      el(
        'span',
        { class: `finding-icon tone-${error ? 'error' : 'warning'}`, role: 'img', 'aria-label': error ? l10n.t('Error') : l10n.t('Warning') },
        codicon(error ? 'error' : 'warning'),
      ),
      el(
        'div',
        { class: 'finding-body' },
        el('div', { class: 'finding-message' }, ...linkified(finding.message)),
        finding.logicalId || finding.path
          ? el(
              'div',
              { class: 'finding-where muted' },
              finding.logicalId ? el('strong', { class: 'finding-id' }, finding.logicalId) : undefined,
              finding.logicalId && finding.path ? ' · ' : undefined,
              finding.path ? el('code', { class: 'finding-path' }, finding.path) : undefined,
            )
          : undefined,
      ),
      goTo,
    );
  }
}

/** "2 errors, 1 warning": each count a phrase of its own, singular or plural. */
function countsText(errors: number, warnings: number): string {
  const errorText = errors === 0 ? '' : errors === 1 ? l10n.t('1 error') : l10n.t('{0} errors', errors);
  const warningText = warnings === 0 ? '' : warnings === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', warnings);
  if (errorText && warningText)
    return l10n.t({ message: '{0}, {1}', args: [errorText, warningText], comment: ['What validation found: the errors, then the warnings.'] });
  return errorText || warningText;
}
