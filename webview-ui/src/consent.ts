/** The unrecoverable-stack prompt: what is wrong, the legal ways out, and No. */
import * as l10n from '@vscode/l10n';
import type { ConsentDestroys, ConsentRequest, FailureReason, MonitorViewModel, RecoveryAction } from '../../src/shared/viewModel';
import type { WebviewMessage } from '../../src/shared/protocol';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { capitalized, codicon, el, fill, withParts } from './dom';
import { failureExtras, resourceName } from './failureCard';
import { linkified } from './links';
import { changed, type Section, type SectionContext } from './section';

/** The consent without its list: when only the list changes, the rest (and the focus in it) stays. */
function withoutDestroys(consent: ConsentRequest | undefined): string {
  if (!consent) return '';
  const { destroys: _destroys, ...rest } = consent;
  return JSON.stringify(rest);
}

export class ConsentPanel implements Section {
  readonly element = el('section', {
    class: 'consent',
    id: 'consent',
    role: 'alertdialog',
    'aria-labelledby': 'consent-title',
    'aria-describedby': 'consent-body',
  });
  /** What the destructive way out destroys; replaced on its own as the list is read and then planned. */
  private readonly destroysPart = el('div', { class: 'consent-destroys', id: 'consent-destroys' });

  constructor(private readonly ctx: SectionContext) {
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'consent', 'stackName')) return;
    const consent = next.consent;
    this.element.hidden = !consent;
    if (!consent) {
      this.element.replaceChildren();
      return;
    }
    if (prev?.consent && prev.stackName === next.stackName && withoutDestroys(prev.consent) === withoutDestroys(consent)) {
      this.renderDestroys(consent.destroys, prev.consent.destroys);
      return;
    }
    this.renderDestroys(consent.destroys, undefined);
    const actions = consent.actions.map((action) => this.actionButton(action));
    const decline = el(
      'vscode-button',
      { secondary: true, id: 'consent-decline', 'aria-label': l10n.t('No, leave the {0} as it is', next.words.target) },
      codicon('close'),
      ` ${l10n.t('No')}`,
    );
    decline.addEventListener('click', () => this.ctx.post({ type: 'decline' }));
    fill(
      this.element,
      el('h2', { id: 'consent-title' }, codicon('warning'), ` ${l10n.t('The {0} cannot be updated', next.words.target)}`),
      el(
        'div',
        { id: 'consent-body' },
        el(
          'p',
          {},
          ...withParts(
            l10n.t('{0} {1} is in {2}, a state it cannot be updated from.'),
            capitalized(next.words.target),
            el('strong', {}, next.stackName),
            el('code', { id: 'consent-status' }, consent.stackStatus),
          ),
        ),
        consent.reason ? el('p', { class: 'provider-reason', id: 'consent-reason' }, ...linkified(consent.reason)) : undefined,
        consent.rootCause ? this.rootCause(consent.rootCause) : undefined,
        consent.destroys ? this.destroysPart : undefined,
        consent.actions.length > 0
          ? el('p', {}, l10n.t('How do you want to continue?'))
          : el('p', {}, l10n.t('There is no automatic way out: fix the {0} in the console, then deploy again.', next.words.target)),
      ),
      el(
        'ul',
        { class: 'consent-actions' },
        ...consent.actions.map((action, i) =>
          el('li', {}, actions[i], el('span', { class: 'action-description', id: `consent-desc-${action.id}` }, action.description)),
        ),
      ),
      el('div', { class: 'button-row' }, decline),
    );
    if (!prev?.consent)
      this.ctx.announcer.announce(l10n.t('{0} {1} is in {2} and needs your decision.', capitalized(next.words.target), next.stackName, consent.stackStatus));
    // Focus "No": a stray Enter must never delete a stack. Lit renders (and makes the button
    // focusable) asynchronously, so focus once it has.
    void decline.updateComplete.then(() => decline.focus());
  }

  /**
   * The list is shown as soon as something is known and the answers work meanwhile: a delete
   * preview takes minutes, and nobody should wait minutes to say No.
   */
  private renderDestroys(destroys: ConsentDestroys | undefined, before: ConsentDestroys | undefined): void {
    if (!destroys) {
      this.destroysPart.replaceChildren();
      return;
    }
    const title = el('h3', { id: 'consent-destroys-title' }, l10n.t('What {0} destroys', destroys.actionLabel));
    const planning = destroys.planning
      ? el(
          'p',
          { class: 'waiting', id: 'consent-destroys-planning' },
          codicon('loading', true),
          ` ${l10n.t('Planning the delete with a delete preview; this list is replaced by its plan when it is ready. You can answer now.')}`,
        )
      : undefined;
    const note = destroys.note ? el('p', { class: 'hint', id: 'consent-destroys-note' }, destroys.note) : undefined;
    if (destroys.state === 'listing') {
      fill(
        this.destroysPart,
        title,
        el('p', { class: 'waiting', id: 'consent-destroys-listing' }, codicon('loading', true), ` ${l10n.t('Listing the resources it destroys…')}`),
      );
      return;
    }
    if (destroys.state === 'unavailable') {
      fill(
        this.destroysPart,
        title,
        el('p', { id: 'consent-destroys-unavailable' }, l10n.t('The resources it destroys could not be listed, so they are not shown here.')),
        note,
        planning,
      );
      return;
    }
    const basis = el('p', { class: 'hint', id: 'consent-destroys-basis' }, basisLine(destroys));
    fill(
      this.destroysPart,
      title,
      basis,
      destroys.items.length > 0
        ? el(
            'ul',
            { class: 'destroy-list', id: 'consent-destroys-list', 'aria-labelledby': 'consent-destroys-title' },
            ...destroys.items.map((item) => el('li', {}, el('code', {}, item.logicalId), ' ', el('span', { class: 'resource-type' }, item.resourceType))),
          )
        : undefined,
      destroys.more > 0 ? el('p', { id: 'consent-destroys-more' }, l10n.t('and {0} more', destroys.more)) : undefined,
      planning,
      note,
    );
    if (before && before.basis !== destroys.basis && !destroys.planning) {
      this.ctx.announcer.announce(
        destroys.total === 0
          ? l10n.t({ message: '{0}: {1}', args: [destroys.actionLabel, basisLine(destroys)], comment: ['A recovery action, then what it destroys.'] })
          : destroysSentence(destroys),
      );
    }
  }

  /** What left the target unrecoverable, told before the question so the answer is an informed one. */
  private rootCause(failure: FailureReason): HTMLElement {
    const links = { located: new Set<string>(), post: (message: WebviewMessage) => this.ctx.post(message) };
    return el(
      'div',
      { class: 'consent-root-cause', id: 'consent-root-cause', role: 'group', 'aria-labelledby': 'consent-root-cause-title' },
      el('h3', { id: 'consent-root-cause-title' }, l10n.t('Why it can’t be updated')),
      el(
        'div',
        { class: 'failure failure-root' },
        resourceName(failure.logicalId, links),
        ' ',
        el('span', { class: 'muted' }, `(${failure.resourceType}, ${failure.providerStatus})`),
        el('div', { class: 'failure-reason' }, ...linkified(failure.reason)),
        ...failureExtras(failure),
      ),
    );
  }

  private actionButton(action: RecoveryAction): VscodeButton {
    const button = el(
      'vscode-button',
      { id: `consent-${action.id}`, class: action.destructive ? 'destructive' : undefined, 'aria-describedby': `consent-desc-${action.id}` },
      codicon(action.destructive ? 'trash' : 'debug-restart'),
      ` ${action.label}`,
    );
    button.addEventListener('click', () => this.ctx.post({ type: 'consent', action: action.id }));
    return button;
  }
}

/**
 * The line above the list. Zero is "nothing to destroy" only when a planned delete says so; an
 * empty list on any other basis (or none) is not knowledge, and says it is not known.
 */
function basisLine(destroys: ConsentDestroys): string {
  const { total, basis } = destroys;
  if (total === 1) return basis ? l10n.t('1 resource, {0}:', basis) : l10n.t('1 resource:');
  if (total > 0) return basis ? l10n.t('{0} resources, {1}:', total, basis) : l10n.t('{0} resources:', total);
  if (basis && destroys.planned) return l10n.t('Nothing to destroy, {0}.', basis);
  return l10n.t('No resources were listed, so what it destroys is not known.');
}

/** Announced when the planned list replaces the first one: "Delete stack destroys 3 resources, by the delete preview." */
function destroysSentence(destroys: ConsentDestroys): string {
  const { actionLabel, total, basis } = destroys;
  if (total === 1) return basis ? l10n.t('{0} destroys 1 resource, {1}.', actionLabel, basis) : l10n.t('{0} destroys 1 resource.', actionLabel);
  return basis ? l10n.t('{0} destroys {1} resources, {2}.', actionLabel, total, basis) : l10n.t('{0} destroys {1} resources.', actionLabel, total);
}
