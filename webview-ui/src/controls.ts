/**
 * The phase's buttons, exactly as the model's `controls` allow.
 * A phase that waits for the person's decision puts focus on its primary button, so the decision
 * is one key away; none of those buttons changes anything in the cloud.
 */
import * as l10n from '@vscode/l10n';
import type { WebviewMessage } from '../../src/shared/protocol';
import type { MonitorPhase, MonitorViewModel } from '../../src/shared/viewModel';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { codicon, el } from './dom';
import { changed, type Section, type SectionContext } from './section';
import { StopConfirm } from './stopConfirm';

type ButtonId =
  'logs' | 'compare' | 'saveTemplate' | 'abort' | 'cancel' | 'stop' | 'execute' | 'watchOther' | 'checkAgain' | 'dismiss' | 'deployAgain' | 'done';

interface ButtonSpec {
  label: string;
  icon: string;
  message: WebviewMessage;
  primary?: boolean;
  /** Throws away or interrupts work: marked in the theme's error colour so it is not pressed for another. */
  destructive?: boolean;
}

/** Built when asked, so the labels are in the language the page set after it loaded. */
const buttonSpecs = (): Record<ButtonId, ButtonSpec> => ({
  logs: { label: l10n.t('Logs…'), icon: 'output', message: { type: 'showLogs' } },
  compare: { label: l10n.t('Compare with Deployed'), icon: 'diff', message: { type: 'compareWithDeployed' } },
  saveTemplate: { label: l10n.t('Save Template'), icon: 'save', message: { type: 'saveTemplate' } },
  abort: { label: l10n.t('Abort Changes'), icon: 'close', message: { type: 'abort' }, destructive: true },
  stop: { label: l10n.t('Stop'), icon: 'debug-stop', message: { type: 'stop' }, destructive: true },
  execute: { label: l10n.t('Execute'), icon: 'play', message: { type: 'execute' }, primary: true },
  cancel: { label: l10n.t('Cancel Deployment'), icon: 'close', message: { type: 'abort' }, destructive: true },
  watchOther: { label: l10n.t('Watch, Then Deploy'), icon: 'eye', message: { type: 'watchOther' }, primary: true },
  dismiss: { label: l10n.t('Record as Unknown'), icon: 'circle-slash', message: { type: 'dismiss' } },
  checkAgain: { label: l10n.t('Check Again'), icon: 'refresh', message: { type: 'checkAgain' }, primary: true },
  deployAgain: { label: l10n.t('Deploy Again'), icon: 'debug-restart', message: { type: 'deployAgain' }, primary: true },
  done: { label: l10n.t('Done'), icon: 'check', message: { type: 'done' }, primary: true },
});

/** Which buttons each phase shows; the model's flags then say whether each is enabled. */
const BY_PHASE: Record<MonitorPhase, ButtonId[]> = {
  starting: ['abort'],
  staging: ['abort'],
  consent: [],
  otherOperation: ['cancel', 'watchOther'],
  review: ['compare', 'saveTemplate', 'abort', 'execute'],
  monitoring: ['logs', 'compare', 'saveTemplate', 'abort', 'stop'],
  lostContact: ['logs', 'saveTemplate', 'dismiss', 'checkAgain'],
  final: ['logs', 'compare', 'saveTemplate', 'deployAgain', 'done'],
};

/**
 * Phases that stop for the person, and the button that gets focus when one begins: watching
 * someone else's operation and asking the provider again are both safe to press by accident.
 */
const FOCUS_ON_ENTRY: Partial<Record<MonitorPhase, ButtonId>> = {
  otherOperation: 'watchOther',
  lostContact: 'checkAgain',
};

/** The situation panel's paragraphs (situation.ts) that a focused decision button is described by. */
// l10n-exempt: element ids
const DESCRIBED_BY = { watchOther: 'situation-who situation-ours', watching: 'situation-next', checkAgain: 'situation-known' };

/** What the Watch button says once pressed: it stays in place, disabled, so focus on it is kept and a second Enter does nothing. */
const watchingLook = () => ({
  label: l10n.t('Watching…'),
  icon: 'loading',
  hint: l10n.t('Already watching: your deployment starts as soon as the other operation ends.'),
});

export class Controls implements Section {
  readonly element = el('section', { class: 'controls', 'aria-label': l10n.t('Actions') });
  private readonly specs = buttonSpecs();
  private readonly buttons = new Map<ButtonId, VscodeButton>();
  private readonly row = el('div', { class: 'button-row' });
  private readonly stopHelp = el('p', { class: 'helper', id: 'stop-reason' });
  private readonly stopConfirm: StopConfirm;
  private model: MonitorViewModel | undefined;

  constructor(ctx: SectionContext) {
    this.stopConfirm = new StopConfirm(
      () => ctx.post({ type: 'stop', confirmed: true }),
      () => this.buttons.get('stop')?.focus(),
    );
    for (const [id, spec] of Object.entries(this.specs) as Array<[ButtonId, ButtonSpec]>) {
      const button = el(
        'vscode-button',
        { id: `btn-${id}`, class: spec.destructive ? 'destructive' : undefined, secondary: !spec.primary, 'aria-label': spec.label.replace('…', '') },
        codicon(spec.icon),
        ` ${spec.label}`,
      );
      // vscode-button still dispatches click while disabled; the model decides, not the event.
      button.addEventListener('click', () => {
        if (button.disabled) return;
        // A stop that leaves things half done asks first, in the page, with Keep focused.
        const question = id === 'stop' ? this.model?.controls.stop.confirm : undefined;
        if (question) this.stopConfirm.open(question);
        else ctx.post(spec.message);
      });
      this.buttons.set(id, button);
    }
    (this.buttons.get('checkAgain') as VscodeButton).setAttribute('aria-describedby', DESCRIBED_BY.checkAgain);
    this.element.append(this.row, this.stopHelp, this.stopConfirm.element);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    this.model = next;
    // The question goes once Stop can no longer be pressed (the deployment ended, or a stop is already asked for).
    const stop = next.controls.stop;
    if (this.stopConfirm.isOpen && (next.phase !== 'monitoring' || !stop.visible || !stop.enabled || !stop.confirm)) this.stopConfirm.close(true);
    if (changed(next, prev, 'words')) this.relabel(next);
    if (changed(next, prev, 'phase', 'controls', 'otherOperation')) this.updateButtons(next);
    if (!prev || prev.phase !== next.phase) this.focusOnEntry(next);
  }

  private focusOnEntry(model: MonitorViewModel): void {
    const id = FOCUS_ON_ENTRY[model.phase];
    const button = id ? this.buttons.get(id) : undefined;
    if (!button || button.disabled) return;
    // Lit renders (and makes the button focusable) asynchronously, so focus once it has.
    void button.updateComplete.then(() => {
      if (button.isConnected && !button.disabled) button.focus();
    });
  }

  /** Save names what the provider staged (a template, a plan): the words come with the model. */
  private relabel(model: MonitorViewModel): void {
    const save = this.buttons.get('saveTemplate') as VscodeButton;
    if (save.dataset.label === model.words.saveStaged) return;
    save.dataset.label = model.words.saveStaged;
    save.replaceChildren(codicon(this.specs.saveTemplate.icon), ` ${model.words.saveStaged}`);
    save.setAttribute('aria-label', model.words.saveStaged);
    save.title = model.words.saveStagedHint;
  }

  private updateButtons(model: MonitorViewModel): void {
    const { controls } = model;
    // Abort is offered while monitoring only during the execute, before the changes are known to run.
    // Compare is there only when the host can diff against a deployed template.
    const shown = BY_PHASE[model.phase].filter(
      (id) =>
        (id !== 'stop' || controls.stop.visible) &&
        (id !== 'abort' || model.phase !== 'monitoring' || controls.abort) &&
        (id !== 'compare' || controls.compare) &&
        // Only after a staging that failed with nothing executed.
        (id !== 'deployAgain' || controls.deployAgain),
    );
    const enabled: Record<ButtonId, boolean> = {
      logs: controls.logs,
      compare: controls.compare,
      saveTemplate: controls.saveTemplate,
      abort: controls.abort,
      cancel: controls.abort,
      stop: controls.stop.enabled,
      execute: controls.execute,
      watchOther: controls.watchOther,
      checkAgain: controls.checkAgain,
      dismiss: controls.dismiss,
      deployAgain: controls.deployAgain,
      done: controls.done,
    };
    const watch = this.buttons.get('watchOther') as VscodeButton;
    const watching = model.otherOperation?.watching === true;
    // A disabled vscode-button (a form control) drops focus to the page. Watch was just pressed
    // from the keyboard: focus lands on the text that says what it now waits for, where a second
    // Enter does nothing.
    if (watching && document.activeElement === watch) document.getElementById(DESCRIBED_BY.watching)?.focus();
    for (const [id, button] of this.buttons) button.disabled = !enabled[id];
    const stop = this.buttons.get('stop') as VscodeButton;
    // The provider names its stop, because what a stop leaves differs (a rollback, or nothing undone).
    label(stop, this.specs.stop.icon, controls.stop.label);
    const pressed = watchingLook();
    if (watching) label(watch, pressed.icon, pressed.label, true);
    else label(watch, this.specs.watchOther.icon, this.specs.watchOther.label);
    // Pressed already: the situation panel says what it waits for; hover and screen readers get the same.
    if (watching) watch.title = pressed.hint;
    else watch.removeAttribute('title');
    watch.setAttribute('aria-describedby', watching ? DESCRIBED_BY.watching : DESCRIBED_BY.watchOther);
    const reason = controls.stop.reason ?? '';
    if (reason) stop.title = reason;
    else stop.removeAttribute('title');
    const stopExplained = shown.includes('stop') && !controls.stop.enabled && reason !== '';
    this.stopHelp.textContent = stopExplained ? reason : '';
    this.stopHelp.hidden = !stopExplained;
    if (stopExplained) stop.setAttribute('aria-describedby', 'stop-reason');
    else stop.removeAttribute('aria-describedby');
    const row = shown.map((id) => this.buttons.get(id) as VscodeButton);
    // Re-inserting a button blurs it: a delta that only enables or relabels must leave keyboard focus where it is.
    const current = [...this.row.children];
    if (current.length !== row.length || row.some((button, i) => current[i] !== button)) this.row.replaceChildren(...row);
  }
}

/** Sets a button's icon and words (and accessible name) when they differ from what it shows. */
function label(button: VscodeButton, icon: string, text: string, spin = false): void {
  if (button.dataset.label === text) return;
  button.dataset.label = text;
  button.replaceChildren(codicon(icon, spin), ` ${text}`);
  button.setAttribute('aria-label', text.replace('…', ''));
}
