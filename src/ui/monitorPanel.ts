/**
 * The monitor panel's host half: one webview panel per stack, bound to that stack's session.
 * The webview says `ready`, gets the whole view model, then only deltas. Every message from the
 * webview is validated by `parseWebviewMessage` before anything acts on it.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import type { DeploymentSession } from '../deployment/session';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../shared/protocol';
import { showBackgroundNotice } from './backgroundNotice';
import { comeBackText } from './noticeTexts';
import { confirmStop } from './confirmStop';
import { phaseOf } from '../deployment/machine';
import { endedInStaging, isRunning } from '../deployment/snapshotReaders';
import type { DeploymentOptionValues } from '../providers/provider';
import { createNonce, monitorHtml } from './monitorHtml';
import { activeTranslations } from '../shared/translations';
import { toViewModel } from './viewModel';
import type { MonitorViewModel } from '../shared/viewModel';
import { diffViewModel } from '../shared/viewModelDelta';
import { linksIn } from '../shared/links';
import { openConsole, openFinding, openResource } from './monitorActions';
import type { OpenMonitors } from '../app/openMonitors';

export const MONITOR_VIEW_TYPE = 'stackwatch.monitor';

/** Host actions the panel cannot do alone; the extension wires them to commands. */
export interface MonitorHost {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  saveTemplate(session: DeploymentSession): Promise<void>;
  showLogs(): void;
  /** Remembers the checkbox for later deployments of this session's target (only). */
  setAutoExecute(session: DeploymentSession, value: boolean): Promise<void>;
  openErrorLocation(session: DeploymentSession): Promise<void>;
  /** The workspace folder the deployment's template paths are relative to. */
  workspaceFolder(): string | undefined;
  /** Compare with Deployed for this session (the command's work). */
  compareWithDeployed(session: DeploymentSession): Promise<void>;
  /** The deployment options remembered for the session's target now. */
  savedOptions(session: DeploymentSession): DeploymentOptionValues;
  /** Saves a changed option for the next deployment of a session whose staging failed; whether it was taken. */
  saveOption(session: DeploymentSession, change: { id: string; value: boolean | string }): Promise<boolean>;
  /** Deploy Project for the session's own target (its staging failed; nothing ran). */
  deployAgain(session: DeploymentSession): Promise<void>;
  /** Which monitors are open, to bring them back after a reload that lost the editors. */
  openMonitors: OpenMonitors;
}

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export class MonitorPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, MonitorPanel>();
  private static readonly shown = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** The model the webview has; undefined until it says `ready` (and again after it is hidden). */
  private sent: MonitorViewModel | undefined;
  private disposed = false;

  get visible(): boolean {
    return !this.disposed && this.panel.visible;
  }

  static find(stackKey: string): MonitorPanel | undefined {
    return MonitorPanel.panels.get(stackKey);
  }

  /**
   * Whether the window has a tab of this session's monitor, reattached or not: VS Code revives a
   * restored panel in a background tab only once the tab is shown.
   */
  static hasTab(session: DeploymentSession, { background = false }: { background?: boolean } = {}): boolean {
    const title = titleOf(session);
    return vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .some(
        (tab) =>
          tab.input instanceof vscode.TabInputWebview &&
          tab.input.viewType.endsWith(MONITOR_VIEW_TYPE) &&
          tab.label === title &&
          (!background || !tab.isActive),
      );
  }

  /** Opens or reveals the session's monitor; `preserveFocus` leaves the keyboard where it is (a reopening nobody asked for now). */
  static show(session: DeploymentSession, host: MonitorHost, options: { preserveFocus?: boolean } = {}): MonitorPanel {
    const preserveFocus = options.preserveFocus ?? false;
    const existing = MonitorPanel.panels.get(session.key);
    if (existing && existing.session === session) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing;
    }
    // A new deployment of the same stack takes over the open panel.
    const panel =
      existing?.takePanel() ??
      vscode.window.createWebviewPanel(
        MONITOR_VIEW_TYPE,
        titleOf(session),
        { viewColumn: vscode.ViewColumn.Active, preserveFocus },
        { ...webviewOptions(host.extensionUri), retainContextWhenHidden: false },
      );
    if (existing) panel.reveal(undefined, preserveFocus);
    return new MonitorPanel(panel, session, host);
  }

  /**
   * Reattaches a panel VS Code restored after a reload (see the serializer), once its session is
   * back. The panel was painted from its saved model before (RestoringPanel); what its webview
   * said meanwhile is handled now, in order.
   */
  static revive(restoring: RestoringPanel, session: DeploymentSession, host: MonitorHost): MonitorPanel {
    MonitorPanel.panels.get(session.key)?.dispose();
    const { safe, dropped } = restoring.handOver();
    if (dropped > 0)
      host.log.info(
        dropped === 1
          ? l10n.t('Monitor of {0}: 1 click made before it was reattached was not acted on; it shows the present state now.', session.target.name)
          : l10n.t('Monitor of {0}: {1} clicks made before it was reattached were not acted on; it shows the present state now.', session.target.name, dropped),
      );
    return new MonitorPanel(restoring.panel, session, host, safe);
  }

  private constructor(
    private panel: vscode.WebviewPanel,
    readonly session: DeploymentSession,
    private readonly host: MonitorHost,
    /** A restored panel's page, already loaded, and the messages it sent before this took over. */
    earlier?: unknown[],
  ) {
    MonitorPanel.panels.set(session.key, this);
    MonitorPanel.shown.fire(session.key);
    host.openMonitors.opened(session.key);
    panel.title = titleOf(session);
    if (!earlier) {
      panel.webview.options = webviewOptions(host.extensionUri);
      panel.webview.html = monitorPage(panel.webview, host.extensionUri, titleOf(session));
    }
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(({ webviewPanel }) => this.visibilityChanged(webviewPanel.visible)),
      panel.onDidDispose(() => this.closedByUser()),
      { dispose: session.onDidChange(() => this.update()) },
    );
    session.send({ type: 'SET_WATCHED', watched: panel.visible });
    for (const raw of earlier ?? []) this.receive(raw);
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /** The model now; the options saved for the target count only once staging failed (see optionRows). */
  private model(): MonitorViewModel {
    const snapshot = this.session.snapshot;
    const saved = endedInStaging(snapshot) ? this.host.savedOptions(this.session) : undefined;
    return toViewModel(snapshot, Date.now(), this.session.capabilities, saved, this.session.durations);
  }

  private sendSnapshot(): void {
    this.sent = this.model();
    this.post({ type: 'snapshot', model: this.sent });
  }

  private update(): void {
    if (!this.sent || !this.panel.visible) return;
    const next = this.model();
    const delta = diffViewModel(this.sent, next);
    this.sent = next;
    if (delta) this.post({ type: 'delta', delta });
  }

  private visibilityChanged(visible: boolean): void {
    this.session.send({ type: 'SET_WATCHED', watched: visible });
    // Hidden webviews are torn down (no retained context); on return, send the whole state again.
    if (!visible) this.sent = undefined;
    else this.sendSnapshot();
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.host.log.warn(l10n.t('Monitor: ignored an invalid message from the webview: {0}', safePreview(raw)));
      return;
    }
    void this.handle(message).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.host.log.error(l10n.t('Monitor: {0} failed: {1}', message.type, reason));
      void vscode.window.showErrorMessage(l10n.t('Stackwatch: {0}', reason));
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    const session = this.session;
    switch (message.type) {
      case 'ready':
        return this.sendSnapshot();
      case 'execute':
        return session.send({ type: 'EXECUTE' });
      case 'abort':
        return session.send({ type: 'ABORT' });
      // The page asks the provider's question first (controls.stop.confirm), with Keep focused,
      // and says so; a bare stop (a page from an older model, or one that skipped it) is asked here.
      case 'stop':
        if (message.confirmed || (await confirmStop(session))) session.send({ type: 'STOP' });
        return;
      case 'consent':
        return session.send({ type: 'CONSENT', action: message.action });
      case 'decline':
        return session.send({ type: 'DECLINE' });
      case 'watchOther':
        return session.send({ type: 'WATCH_OTHER' });
      case 'checkAgain':
        return session.send({ type: 'CHECK_AGAIN' });
      case 'dismiss':
        return session.send({ type: 'DISMISS' });
      case 'setAutoExecute':
        session.send({ type: 'SET_AUTO_EXECUTE', value: message.value });
        return this.host.setAutoExecute(session, message.value);
      case 'saveTemplate':
        return this.host.saveTemplate(session);
      case 'showLogs':
        return this.host.showLogs();
      case 'openErrorLocation':
        return this.host.openErrorLocation(session);
      // The webview names a key; the file, line and URL come from the host's own state.
      case 'openResource':
        return openResource(session.snapshot.context, message.logicalId, this.host.workspaceFolder());
      case 'openFinding':
        return openFinding(session.snapshot.context, message.index, this.host.workspaceFolder());
      case 'openConsole':
        return openConsole(session.snapshot.context, message.logicalId);
      // Only a link this panel showed: the webview names it, the model the host sent vouches for it.
      case 'openLink':
        if (linksIn(this.sent ?? this.model()).has(message.url)) await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        else this.host.log.warn(l10n.t('Monitor: refused to open a link it did not show: {0}', safePreview(message.url)));
        return;
      case 'compareWithDeployed':
        return this.host.compareWithDeployed(session);
      case 'setOption':
        // Staging failed: nothing stages again; the change is saved for Deploy Again, and the
        // model (unchanged by the machine, which has ended) is sent again to show it.
        if (endedInStaging(session.snapshot)) {
          // One not taken is shown as it stands again, so the control does not keep the refused value.
          if (await this.host.saveOption(session, { id: message.id, value: message.value })) this.update();
          else if (this.sent) this.sendSnapshot();
          return;
        }
        // The machine checks the option against the descriptor's and stages again with it.
        return session.send({ type: 'SET_OPTION', id: message.id, value: message.value });
      case 'deployAgain':
        if (endedInStaging(session.snapshot)) await this.host.deployAgain(session);
        return;
      case 'copyOutput': {
        const output = session.snapshot.context.outputs.find((o) => o.key === message.key);
        if (!output) return;
        await vscode.env.clipboard.writeText(output.value);
        return this.post({ type: 'copied', key: output.key });
      }
      case 'done':
        this.panel.dispose();
        return;
    }
  }

  /** Hands the webview panel to a newer session's MonitorPanel without closing it. */
  private takePanel(): vscode.WebviewPanel {
    this.release();
    return this.panel;
  }

  private release(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (MonitorPanel.panels.get(this.session.key) === this) MonitorPanel.panels.delete(this.session.key);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private closedByUser(): void {
    const wasOpen = !this.disposed;
    this.release();
    if (wasOpen) this.host.openMonitors.closed(this.session.key);
    if (!wasOpen || !isRunning(this.session.snapshot)) return;
    this.session.send({ type: 'SET_WATCHED', watched: false });
    const name = this.session.target.name;
    const snapshot = this.session.snapshot;
    // Some states wait for the person who just closed the monitor: ask them to come back.
    const waiting = snapshot.hasTag('needsPerson') ? comeBackText(phaseOf(snapshot, snapshot.context.executed), name) : undefined;
    if (!waiting) {
      showBackgroundNotice(this.session, MonitorPanel.shown.event);
      return;
    }
    void vscode.window.showInformationMessage(waiting, l10n.t('Show Monitor')).then((choice) => {
      if (choice) void vscode.commands.executeCommand(COMMANDS.showMonitor, this.session.key);
    });
  }

  dispose(): void {
    this.release();
    this.panel.dispose();
  }
}

/**
 * A panel VS Code restored after a reload, painted at once: its page shows the model it saved
 * (see main.ts) while the session is restored, which may take a provider's SDK loading. What the
 * page says meanwhile (its `ready`, a click) is kept for the MonitorPanel that takes over.
 */
/** Messages from a restored page that mean the same whatever state the session is in now. */
const SAFE_LATE: ReadonlySet<string> = new Set<WebviewMessage['type']>(['ready', 'showLogs']);

export class RestoringPanel implements vscode.Disposable {
  private readonly said: unknown[] = [];
  private readonly listeners: vscode.Disposable[];
  private closed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = monitorPage(panel.webview, extensionUri, panel.title);
    this.listeners = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.said.push(raw)),
      panel.onDidDispose(() => {
        this.closed = true;
      }),
    ];
  }

  /** Closed by the person before its session was back. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * What the page said so far that is safe to act on late, oldest first; from now on the taker
   * listens. A decision (Execute, Stop, a consent…) was made on the saved model, which the session
   * may have left behind meanwhile: it is dropped, and the page, sent the present state, asks again.
   */
  handOver(): { safe: unknown[]; dropped: number } {
    this.dispose();
    const said = this.said.splice(0);
    const safe = said.filter((raw) => SAFE_LATE.has(parseWebviewMessage(raw)?.type ?? ''));
    return { safe, dropped: said.length - safe.length };
  }

  dispose(): void {
    for (const listener of this.listeners.splice(0)) listener.dispose();
  }
}

function monitorPage(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const root = webviewRoot(extensionUri);
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(root, file)).toString();
  return monitorHtml({
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: uri('main.js'),
    styleUri: uri('main.css'),
    codiconUri: uri('codicon.css'),
    title,
    translations: activeTranslations(),
    language: vscode.env.language,
  });
}

function titleOf(session: DeploymentSession): string {
  return l10n.t({ message: 'Deploy: {0}', args: [session.target.name], comment: ['The title of the deployment monitor tab; {0} is the stack.'] });
}

function safePreview(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, 200);
  } catch {
    return typeof raw;
  }
}
