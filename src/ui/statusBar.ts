/**
 * The status-bar item: shows one deployment through `statusBarModel`, keeps a finished result
 * visible for a minute, then hides. Clicking runs the model's command (the monitor).
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { DeploymentSession } from '../deployment/session';
import { isRunning } from '../deployment/snapshotReaders';
import { statusBarModel } from './statusBarModel';

export const STATUS_BAR_ITEM_ID = 'stackwatch.deployment';
/** How long a finished deployment's result stays in the status bar. */
export const RESULT_VISIBLE_MS = 60_000;

export class DeploymentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 10);
  private session: DeploymentSession | undefined;
  private unsubscribe: (() => void) | undefined;
  private hideTimer: NodeJS.Timeout | undefined;
  private visible = false;
  /** The command and session the item runs, so it is replaced only when one of them changes. */
  private commandKey: string | undefined;

  constructor() {
    this.item.name = l10n.t('Stackwatch Deployment');
  }

  /** Follows this session from now on (the most recently started or restored one). */
  follow(session: DeploymentSession): void {
    if (this.session === session) return;
    this.unsubscribe?.();
    this.session = session;
    this.unsubscribe = session.onDidChange(() => this.render());
    this.render();
  }

  private render(): void {
    const session = this.session;
    if (!session) return;
    const snapshot = session.snapshot;
    const model = statusBarModel(snapshot);
    this.item.text = model.text;
    this.item.tooltip = model.tooltip;
    this.item.backgroundColor = model.backgroundColor ? new vscode.ThemeColor(model.backgroundColor) : undefined;
    // A new command object replaces VS Code's delegate for the old one: a click that lands during the
    // swap finds no command ("Actual command not found"). Deployments re-render many times a second,
    // so the command is set only when it really changes.
    const commandKey = `${model.command}\u0000${session.key}`;
    if (commandKey !== this.commandKey) {
      this.commandKey = commandKey;
      this.item.command = { title: l10n.t('Show Deployment Monitor'), command: model.command, arguments: [session.key] };
    }
    this.item.accessibilityInformation = { label: model.tooltip.split('\n')[0], role: 'button' };
    this.item.show();
    this.visible = true;
    clearTimeout(this.hideTimer);
    if (!isRunning(snapshot)) {
      this.hideTimer = setTimeout(() => {
        this.item.hide();
        this.visible = false;
      }, RESULT_VISIBLE_MS);
    }
  }

  /** What the item shows, for the API; undefined while hidden. */
  shown(): { text: string; tooltip: string } | undefined {
    if (!this.visible) return undefined;
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '') };
  }

  dispose(): void {
    clearTimeout(this.hideTimer);
    this.unsubscribe?.();
    this.item.dispose();
  }
}
