/** The end of a deployment: how it ended, what went wrong (root cause first), and the outputs to copy. */
import * as l10n from '@vscode/l10n';
import type { FailureReason, FinalState, MonitorViewModel, StackOutput } from '../../src/shared/viewModel';
import { codicon, el, fill, withParts } from './dom';
import { failureExtras, resourceName, type FailureLinks } from './failureCard';
import { linkified } from './links';
import { changed, type Section, type SectionContext } from './section';

/** How each end reads; built when asked, so the words are in the language the page set after it loaded. */
const finalText = (): Record<FinalState, { icon: string; tone: string; text: string }> => ({
  succeeded: { icon: 'pass-filled', tone: 'ok', text: l10n.t('Deployment succeeded') },
  failed: { icon: 'error', tone: 'error', text: l10n.t('Deployment failed') },
  rolledBack: { icon: 'discard', tone: 'error', text: l10n.t('Deployment failed and was rolled back') },
  aborted: { icon: 'circle-slash', tone: 'muted', text: l10n.t('Deployment aborted; nothing was changed') },
  noChanges: { icon: 'pass', tone: 'ok', text: l10n.t('No changes: the stack is already up to date') },
  unknown: { icon: 'question', tone: 'warning', text: l10n.t('Outcome unknown: Stackwatch lost contact before the deployment ended') },
});

/** How long the copy button says "Copied". */
const COPIED_MS = 2000;

export class Completion implements Section {
  readonly element = el('section', { class: 'completion', id: 'completion' });
  private readonly summary = el('p', { class: 'final-status', id: 'final-status' });
  private readonly failures = el('div', { class: 'failures', id: 'failures' });
  private readonly outputs = el('div', { class: 'outputs', id: 'outputs' });
  private readonly copyButtons = new Map<string, HTMLElement>();
  /** The logical IDs the failures can open in the template, as last drawn. */
  private located = '';

  constructor(private readonly ctx: SectionContext) {
    this.element.append(this.summary, this.failures, this.outputs);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (changed(next, prev, 'final', 'providerStatus', 'stopped', 'words')) this.renderSummary(next);
    if (changed(next, prev, 'failures', 'changes')) {
      const located = locatedIds(next);
      const locatedKey = [...located].join('\n');
      if (changed(next, prev, 'failures') || locatedKey !== this.located) {
        this.located = locatedKey;
        this.renderFailures(next, { located, post: (message) => this.ctx.post(message) });
      }
    }
    if (changed(next, prev, 'outputs', 'phase')) this.renderOutputs(next);
    this.element.hidden = this.summary.hidden && this.failures.hidden && this.outputs.hidden;
  }

  /** The host put an output on the clipboard: say so on its button for a moment. */
  copied(key: string): void {
    const button = this.copyButtons.get(key);
    if (!button) return;
    fill(button, codicon('check'), ` ${l10n.t('Copied')}`);
    this.ctx.announcer.announce(l10n.t('Copied {0}', key));
    window.setTimeout(() => {
      if (button.isConnected) fill(button, codicon('copy'), ` ${l10n.t('Copy')}`);
    }, COPIED_MS);
  }

  private renderSummary(model: MonitorViewModel): void {
    this.summary.hidden = !model.final;
    if (!model.final) return;
    // An end the person asked for (Stop, Cancel) is its own outcome, not a failure, unless something failed first.
    const stopped = model.stopped === true && ((model.final === 'failed' && !model.error) || (model.final === 'rolledBack' && model.shown !== 'failed'));
    // A stop that rolled back shows the rollback's icon; one that left things where they were (no rollback), a stop's.
    const look = stopped
      ? { icon: model.final === 'rolledBack' ? 'discard' : 'debug-stop', tone: 'warning', text: model.words.stopped }
      : finalText()[model.final];
    const text = model.final === 'noChanges' ? l10n.t('No changes: the {0} is already up to date', model.words.target) : look.text;
    fill(
      this.summary,
      el('span', { class: `tone-${look.tone}` }, codicon(look.icon)),
      ` ${text}`,
      // After lost contact the provider's status is only the last one read, not where it ended.
      model.providerStatus
        ? el(
            'span',
            { class: 'muted' },
            ' — ',
            ...withParts(
              model.final === 'unknown'
                ? l10n.t({
                    message: 'last known {0} {1}',
                    comment: ["After lost contact: {0} is the provider's word for its state (e.g. 'stack state'), {1} the status last read."],
                  })
                : l10n.t({ message: '{0} {1}', comment: ["The provider's word for its state (e.g. 'stack state'), then the status it ended in."] }),
              model.words.state,
              el('code', {}, model.providerStatus),
            ),
          )
        : undefined,
    );
  }

  private renderFailures(model: MonitorViewModel, links: FailureLinks): void {
    const { rootCause, otherFailures, cancellations, targetReason } = model.failures;
    const any = rootCause || otherFailures.length > 0 || cancellations.length > 0;
    this.failures.hidden = !any;
    if (!any) {
      this.failures.replaceChildren();
      return;
    }
    fill(
      this.failures,
      el('h2', { id: 'failures-heading' }, rootCause || otherFailures.length > 0 ? l10n.t('What went wrong') : l10n.t('What was cancelled')),
      targetReason ? el('p', { class: 'muted target-reason' }, ...linkified(targetReason)) : undefined,
      el(
        'ol',
        { class: 'failure-list', 'aria-labelledby': 'failures-heading' },
        rootCause ? failureItem(rootCause, 'root', links) : undefined,
        ...otherFailures.map((failure) => failureItem(failure, 'other', links)),
        ...cancellations.map((failure) => failureItem(failure, failedInside(failure, [rootCause, ...otherFailures]) ? 'inside' : 'cancelled', links)),
      ),
    );
  }

  private renderOutputs(model: MonitorViewModel): void {
    this.copyButtons.clear();
    this.outputs.hidden = model.outputs.length === 0;
    if (model.outputs.length === 0) {
      this.outputs.replaceChildren();
      return;
    }
    fill(
      this.outputs,
      el('h2', { id: 'outputs-heading' }, l10n.t('Outputs')),
      el(
        'table',
        { class: 'output-table', 'aria-labelledby': 'outputs-heading' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, l10n.t({ message: 'Key', comment: ["Column header of the outputs table: the output's name."] })),
            el('th', { scope: 'col' }, l10n.t('Value')),
            el('th', { scope: 'col' }, l10n.t('Description')),
            el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, l10n.t('Copy'))),
          ),
        ),
        el('tbody', {}, ...model.outputs.map((output) => this.outputRow(output))),
      ),
    );
  }

  private outputRow(output: StackOutput): HTMLTableRowElement {
    const copy = el(
      'vscode-button',
      {
        secondary: true,
        class: 'copy',
        'data-key': output.key,
        'aria-label': l10n.t('Copy {0}', output.key),
        title: l10n.t('Copy the value of {0}', output.key),
      },
      codicon('copy'),
      ` ${l10n.t('Copy')}`,
    );
    copy.addEventListener('click', () => this.ctx.post({ type: 'copyOutput', key: output.key }));
    this.copyButtons.set(output.key, copy);
    // Sensitive values are copied by the host, never shown.
    const value = output.sensitive ? el('span', { class: 'muted' }, l10n.t('(sensitive)')) : el('code', { class: 'output-value' }, output.value);
    return el(
      'tr',
      { 'data-key': output.key },
      el('th', { scope: 'row' }, output.key, output.exportName ? el('div', { class: 'muted small' }, l10n.t('Export: {0}', output.exportName)) : undefined),
      el('td', {}, value),
      el('td', { class: 'muted' }, output.description ?? ''),
      el('td', { class: 'col-copy' }, copy),
    );
  }
}

/** Rows the host can open in the template: only failures of those get a link. */
/** The failures' logical IDs that the host can open in the template: only those, so a status delta on a long list stays cheap. */
function locatedIds(model: MonitorViewModel): Set<string> {
  const { rootCause, otherFailures, cancellations } = model.failures;
  const named = new Set([rootCause, ...otherFailures, ...cancellations].flatMap((failure) => (failure ? [failure.logicalId] : [])));
  const ids = new Set<string>();
  if (named.size === 0) return ids;
  for (const row of model.changes) if (row.hasLocation && named.has(row.logicalId)) ids.add(row.logicalId);
  return ids;
}

/** A nested target that failed because a row inside it ("Parent/Child") failed: a consequence, but not a cancellation. */
function failedInside(failure: FailureReason, causes: ReadonlyArray<FailureReason | undefined>): boolean {
  return causes.some((cause) => cause !== undefined && cause.logicalId.startsWith(`${failure.logicalId}/`));
}

type FailureKind = 'root' | 'other' | 'inside' | 'cancelled';

function failureLabel(kind: FailureKind): string {
  switch (kind) {
    case 'root':
      return l10n.t('Root cause');
    case 'other':
      return l10n.t('Also failed');
    case 'inside':
      return l10n.t('Failed inside');
    case 'cancelled':
      return l10n.t('Cancelled');
  }
}

function failureItem(failure: FailureReason, kind: FailureKind, links: FailureLinks): HTMLLIElement {
  const label = failureLabel(kind);
  const consequence = kind === 'cancelled' || kind === 'inside';
  return el(
    'li',
    // A consequence keeps the cancellations' look (greyed, listed after the causes).
    { class: `failure failure-${consequence ? 'cancelled' : kind}${kind === 'inside' ? ' failure-inside' : ''}`, 'data-id': failure.logicalId },
    el(
      'span',
      { class: `failure-kind tone-${consequence ? 'muted' : 'error'}` },
      codicon(kind === 'inside' ? 'type-hierarchy-sub' : kind === 'cancelled' ? 'circle-slash' : 'error'),
      ` ${label}`,
    ),
    ' ',
    resourceName(failure.logicalId, links),
    ' ',
    el('span', { class: 'muted' }, `(${failure.resourceType}, ${failure.providerStatus})`),
    el('div', { class: 'failure-reason' }, ...linkified(failure.reason)),
    // Cancellations are consequences: their hook and request details would only be noise.
    ...(consequence ? [] : failureExtras(failure)),
  );
}
