/** Stack name, where it lives, and the overall status people see. */
import * as l10n from '@vscode/l10n';
import type { MonitorViewModel, ShownStatus, Vocabulary } from '../../src/shared/viewModel';
import { codicon, el, fill } from './dom';
import { shownLook, type StatusLook } from './icons';
import { changed, type Section, type SectionContext } from './section';
import { currentStep } from './steps';

const cancelled = (): StatusLook => ({ icon: 'debug-stop', spin: false, tone: 'warning', label: l10n.t('Cancelled') });

/** What the header says: the step running while getting ready, so it and the step list say the same. */
function lookOf(model: MonitorViewModel): StatusLook {
  // Cancelled without rollback ends in a failed state, but nothing failed: say what happened.
  if (model.stopped && model.final === 'failed' && !model.error) return cancelled();
  const look = shownLook(model.shown);
  // A retry or a lost contact says more than the step it interrupts.
  const step = model.shown === model.activity ? currentStep(model) : undefined;
  if (step) return { ...look, label: step.label };
  // Without a step list (a deployment saved by an older version), the same words in the provider's terms.
  const label = GETTING_READY_WORDS[model.shown]?.(model.words);
  return label ? { ...look, label } : look;
}

/** How the step list names each getting-ready activity, for a model without one. */
const GETTING_READY_WORDS: Partial<Record<ShownStatus, (words: Vocabulary) => string>> = {
  initializing: (words) => words.loadStep,
  preparing: (words) => l10n.t('Looking at the {0}', words.target),
  recreating: (words) => l10n.t('Deleting the old {0}', words.target),
  staging: (words) => l10n.t('Creating the {0}', words.staged),
};

export class Header implements Section {
  readonly element = el('header', { class: 'header' });

  constructor(private readonly ctx: SectionContext) {}

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'stackName', 'words', 'region', 'identity', 'shown', 'providerStatus', 'stopped', 'error', 'steps', 'phase')) return;
    const look = lookOf(next);
    const where = [next.words.service, next.region, next.identity].filter(Boolean).join(' · ');
    fill(
      this.element,
      el(
        'div',
        { class: `overall tone-${look.tone}`, id: 'overall-status', role: 'img', 'aria-label': l10n.t('Status: {0}', look.label), title: look.label },
        codicon(look.icon, look.spin),
      ),
      el('div', { class: 'titles' }, el('h1', { id: 'stack-name' }, next.stackName), el('div', { class: 'subtitle' }, where)),
      el(
        'div',
        { class: 'status-text', id: 'shown-status' },
        el('span', { class: `status-label tone-${look.tone}` }, look.label),
        next.providerStatus ? el('code', { class: 'provider-status' }, next.providerStatus) : undefined,
      ),
    );
    if (prev && lookOf(prev).label !== look.label)
      this.ctx.announcer.announce(
        l10n.t({
          message: '{0}: {1}',
          args: [next.stackName, look.label],
          comment: ['Announced to screen readers when the status changes: the stack name, then its new status.'],
        }),
      );
  }
}
