/** The phase's buttons, exactly as the model's `controls` allow, and the auto-execute checkbox. */
import type { WebviewMessage } from '../../src/protocol';
import type { MonitorPhase, MonitorViewModel } from '../../src/ui/viewModel';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { codicon, el } from './dom';
import { changed, type Section, type SectionContext } from './section';

type ButtonId = 'logs' | 'saveTemplate' | 'abort' | 'cancel' | 'stop' | 'execute' | 'watchOther' | 'checkAgain' | 'dismiss' | 'done';

interface ButtonSpec {
  label: string;
  icon: string;
  message: WebviewMessage;
  primary?: boolean;
}

const BUTTONS: Record<ButtonId, ButtonSpec> = {
  logs: { label: 'Logs…', icon: 'output', message: { type: 'showLogs' } },
  saveTemplate: { label: 'Save Template', icon: 'save', message: { type: 'saveTemplate' } },
  abort: { label: 'Abort Changes', icon: 'close', message: { type: 'abort' } },
  stop: { label: 'Stop', icon: 'debug-stop', message: { type: 'stop' } },
  execute: { label: 'Execute', icon: 'play', message: { type: 'execute' }, primary: true },
  cancel: { label: 'Cancel Deployment', icon: 'close', message: { type: 'abort' } },
  watchOther: { label: 'Watch, Then Deploy', icon: 'eye', message: { type: 'watchOther' }, primary: true },
  dismiss: { label: 'Record as Unknown', icon: 'circle-slash', message: { type: 'dismiss' } },
  checkAgain: { label: 'Check Again', icon: 'refresh', message: { type: 'checkAgain' }, primary: true },
  done: { label: 'Done', icon: 'check', message: { type: 'done' }, primary: true },
};

/** Which buttons each phase shows; the model's flags then say whether each is enabled. */
const BY_PHASE: Record<MonitorPhase, ButtonId[]> = {
  starting: ['abort'],
  staging: ['abort'],
  consent: [],
  otherOperation: ['cancel', 'watchOther'],
  review: ['saveTemplate', 'abort', 'execute'],
  monitoring: ['logs', 'saveTemplate', 'stop'],
  lostContact: ['logs', 'saveTemplate', 'dismiss', 'checkAgain'],
  final: ['logs', 'saveTemplate', 'done'],
};

export class Controls implements Section {
  readonly element = el('section', { class: 'controls', 'aria-label': 'Actions' });
  private readonly buttons = new Map<ButtonId, VscodeButton>();
  private readonly row = el('div', { class: 'button-row' });
  private readonly stopHelp = el('p', { class: 'helper', id: 'stop-reason' });
  private readonly autoExecute = el('vscode-checkbox', { id: 'auto-execute', label: 'Start deployment automatically when changes are ready' });

  constructor(ctx: SectionContext) {
    for (const [id, spec] of Object.entries(BUTTONS) as Array<[ButtonId, ButtonSpec]>) {
      const button = el('vscode-button', { id: `btn-${id}`, secondary: !spec.primary, 'aria-label': spec.label.replace('…', '') }, codicon(spec.icon), ` ${spec.label}`);
      // vscode-button still dispatches click while disabled; the model decides, not the event.
      button.addEventListener('click', () => {
        if (!button.disabled) ctx.post(spec.message);
      });
      this.buttons.set(id, button);
    }
    this.autoExecute.addEventListener('change', () => ctx.post({ type: 'setAutoExecute', value: this.autoExecute.checked }));
    this.element.append(this.row, this.stopHelp, this.autoExecute);
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (changed(next, prev, 'words')) this.relabel(next);
    if (changed(next, prev, 'phase', 'controls')) this.updateButtons(next);
    if (changed(next, prev, 'autoExecute', 'phase')) {
      if (this.autoExecute.checked !== next.autoExecute) this.autoExecute.checked = next.autoExecute;
      // After the change list is executed the choice no longer affects this deployment.
      this.autoExecute.hidden = next.phase === 'final' || next.phase === 'monitoring' || next.phase === 'consent' || next.phase === 'lostContact';
    }
  }

  /** Save names what the provider staged: a template (CloudFormation) or a plan (Infrastructure Manager). */
  private relabel(model: MonitorViewModel): void {
    const save = this.buttons.get('saveTemplate') as VscodeButton;
    if (save.dataset.label === model.words.saveStaged) return;
    save.dataset.label = model.words.saveStaged;
    save.replaceChildren(codicon(BUTTONS.saveTemplate.icon), ` ${model.words.saveStaged}`);
    save.setAttribute('aria-label', model.words.saveStaged);
    save.title = model.words.saveStagedHint;
  }

  private updateButtons(model: MonitorViewModel): void {
    const { controls } = model;
    const shown = BY_PHASE[model.phase].filter((id) => id !== 'stop' || controls.stop.visible);
    const enabled: Record<ButtonId, boolean> = {
      logs: controls.logs,
      saveTemplate: controls.saveTemplate,
      abort: controls.abort,
      cancel: controls.abort,
      stop: controls.stop.enabled,
      execute: controls.execute,
      watchOther: controls.watchOther,
      checkAgain: controls.checkAgain,
      dismiss: controls.dismiss,
      done: controls.done,
    };
    for (const [id, button] of this.buttons) button.disabled = !enabled[id];
    const stop = this.buttons.get('stop') as VscodeButton;
    if (stop.dataset.label !== controls.stop.label) {
      // The provider names its stop: "Stop" rolls back on CloudFormation, "Cancel (no rollback)" on Google Cloud.
      stop.dataset.label = controls.stop.label;
      stop.replaceChildren(codicon(BUTTONS.stop.icon), ` ${controls.stop.label}`);
      stop.setAttribute('aria-label', controls.stop.label);
    }
    const reason = controls.stop.reason ?? '';
    if (reason) stop.title = reason;
    else stop.removeAttribute('title');
    const stopExplained = shown.includes('stop') && !controls.stop.enabled && reason !== '';
    this.stopHelp.textContent = stopExplained ? reason : '';
    this.stopHelp.hidden = !stopExplained;
    if (stopExplained) stop.setAttribute('aria-describedby', 'stop-reason');
    else stop.removeAttribute('aria-describedby');
    this.row.replaceChildren(...shown.map((id) => this.buttons.get(id) as VscodeButton));
  }
}
