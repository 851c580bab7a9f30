/**
 * Every Stackwatch command, wired to the deployment manager, the monitor panel and history.
 * Commands that act on "the" deployment take an optional stack key (status bar, notifications)
 * and otherwise use the configured stack's session, then the last one shown.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { sessionKey, type DeploymentSession } from '../deployment/session';
import type { DeploymentManager } from '../app/deploymentManager';
import { targetOf, type DeploymentContextInfo } from '../app/deploymentManager';
import type { HistoryStore } from '../app/history';
import type { InputErrorReporter } from '../ui/inputErrorReporter';
import { openErrorLocation } from '../ui/errorLocation';
import { MONITOR_VIEW_TYPE, MonitorPanel, RestoringPanel, type MonitorHost } from '../ui/monitorPanel';
import { confirmStop } from '../ui/confirmStop';
import { stackKeyFromSavedPanel } from '../app/stackKeys';
import { toViewModel } from '../ui/viewModel';
import { stopRefusalText } from '../ui/noticeTexts';
import { commandContextOf, type CommandContextKey } from '../ui/commandContextModel';
import { configureStack, kindClaiming } from './configureStack';
import { allDescriptors } from '../providers/registry';
import { COMMANDS } from './ids';
import { saveStagedTemplate } from './saveTemplate';
import { HISTORY_SCHEME, HistoryDocuments } from './showLastDeployment';
import { TEMPLATE_SCHEME, TemplateDocuments, compareWithDeployed } from './compareWithDeployed';
import { folderFor, readInfoOrConfigure, tryReadInfo } from '../app/workspaceInfo';
import type { OpenMonitors } from '../app/openMonitors';
import { isRunning } from '../deployment/snapshotReaders';

/** How long after reattaching Stackwatch looks again for monitors VS Code restored but lost. */
const REOPEN_RECHECK_MS = 3_000;

export interface CommandDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  manager: DeploymentManager;
  history: HistoryStore;
  inputErrors: InputErrorReporter;
  openMonitors: OpenMonitors;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { manager, log, history } = deps;
  const historyDocuments = new HistoryDocuments();
  const templateDocuments = new TemplateDocuments();

  const host: MonitorHost = {
    extensionUri: deps.extensionUri,
    log,
    saveTemplate: (session) => saveTemplateOf(session),
    showLogs: () => log.show(true),
    setAutoExecute: (session, value) => manager.rememberAutoExecute(session.target, value, tryReadInfo(folderFor())?.settings.autoExecute ?? false),
    openErrorLocation: async (session) => {
      const error = session.snapshot.context.error;
      if (error) await openErrorLocation(error, folderFor()?.uri);
    },
    workspaceFolder: () => folderFor()?.uri.fsPath,
    compareWithDeployed: (session) => compareWithDeployed(session, manager.providerFor(session), templateDocuments),
    savedOptions: (session) => manager.savedOptions(session.target),
    saveOption: (session, change) => manager.saveOption(session, change),
    deployAgain: (session) => deployAgain(session),
    openMonitors: deps.openMonitors,
  };
  /** Stacks whose panel VS Code restored and the serializer is reattaching. */
  const reviving = new Set<string>();

  /**
   * After a reload, the deployments still running are reattached at once, so the status bar
   * shows them, and the monitors that were open and that VS Code did not restore come back.
   */
  async function restoreAfterReload(): Promise<void> {
    if (!manager.hasSaved()) return;
    await manager.restorePersisted(tryReadInfo(folderFor()));
    reopenLostMonitors({ anyTab: true });
    // A tab VS Code restored in view but could not revive is gone a moment later; a background
    // tab is revived only once shown, so it still counts.
    setTimeout(() => reopenLostMonitors({ anyTab: false }), REOPEN_RECHECK_MS);
  }

  function reopenLostMonitors({ anyTab }: { anyTab: boolean }): void {
    for (const key of deps.openMonitors.keys()) {
      const session = manager.get(key);
      if (!session || !isRunning(session.snapshot)) deps.openMonitors.closed(key);
      else if (!MonitorPanel.find(key) && !reviving.has(key) && !MonitorPanel.hasTab(session, { background: !anyTab }))
        MonitorPanel.show(session, host, { preserveFocus: true });
    }
  }

  /** Deploy Project with the workspace's settings: a new deployment, or the one already running. */
  async function deploy(info: DeploymentContextInfo): Promise<void> {
    const { session, started } = await manager.deploy(info);
    if (started) deps.inputErrors.watch(session);
    else log.info(l10n.t('{0} is already deploying; showing its monitor instead of starting another deployment.', session.target.name));
    show(session);
  }

  /** Deploy Project again for the ended session's own target; settings that now name another one deploy nothing. */
  async function deployAgain(ended: DeploymentSession): Promise<void> {
    const info = tryReadInfo(folderFor());
    if (!info || sessionKey(targetOf(info.settings)) !== ended.key) {
      void vscode.window.showWarningMessage(
        l10n.t('Stackwatch: the workspace settings no longer deploy {0}; run Deploy Project to deploy what they name.', ended.target.name),
      );
      return;
    }
    await deploy(info);
  }

  async function saveTemplateOf(session: DeploymentSession): Promise<void> {
    const provider = manager.providerFor(session);
    if (!provider) return;
    await saveStagedTemplate(session, provider, folderFor()?.uri);
  }

  /** The session a command means: an explicit key, the configured stack's, or the last one shown. */
  async function sessionFor(key: unknown): Promise<DeploymentSession | undefined> {
    const info = tryReadInfo(folderFor());
    await manager.restorePersisted(info);
    if (typeof key === 'string') return manager.get(key);
    return (info && manager.get(sessionKey(targetOf(info.settings)))) ?? manager.current();
  }

  /**
   * The menus offer a command while some deployment in the window lets it act (the context keys
   * of commandContextModel.ts): without a key, the configured stack's deployment is meant when it
   * can, else the one that can (the configured one may wait for review while another deploys).
   */
  async function keyWhere(can: CommandContextKey): Promise<string | undefined> {
    const able = (session: DeploymentSession): boolean => commandContextOf(session.snapshot, session.capabilities)[can];
    const configured = await sessionFor(undefined);
    if (configured && able(configured)) return configured.key;
    return manager.sessions().find(able)?.key ?? configured?.key;
  }

  /** The key a command was given, or the deployment it is meant for without one. */
  async function meant(key: unknown, can: CommandContextKey): Promise<string | undefined> {
    return typeof key === 'string' ? key : keyWhere(can);
  }

  /**
   * The deployment Stop without a stack means: the configured one when it can stop. Otherwise a
   * stop never lands on another stack unasked: the person picks it by name, with Keep first (so
   * Enter and Escape stop nothing); null when they keep deploying.
   */
  async function stopTarget(key: unknown): Promise<string | undefined | null> {
    if (typeof key === 'string') return key;
    const configured = await sessionFor(undefined);
    const able = manager.sessions().filter((session) => commandContextOf(session.snapshot).canStop);
    if (able.length === 0 || (configured && able.includes(configured))) return configured?.key;
    const keep = { label: l10n.t({ message: '$(debug-continue) Keep deploying', comment: ['$(debug-continue) is an icon, keep it.'] }), key: null };
    const others = able.map((session) => ({
      label: l10n.t({ message: '$(debug-stop) Stop {0}', args: [session.target.name], comment: ['$(debug-stop) is an icon, keep it; {0} is a stack.'] }),
      key: session.key,
    }));
    const title = configured ? l10n.t('{0} cannot be stopped now. Stop another deployment?', configured.target.name) : l10n.t('Stop which deployment?');
    const choice = await vscode.window.showQuickPick([keep, ...others], { title, ignoreFocusOut: true });
    return choice?.key ?? null;
  }

  function show(session: DeploymentSession): void {
    manager.focus(session);
    MonitorPanel.show(session, host);
  }

  async function withSession(key: unknown, action: (session: DeploymentSession) => unknown): Promise<void> {
    const session = await sessionFor(key);
    if (!session) {
      const choice = await vscode.window.showInformationMessage(
        l10n.t('Stackwatch: no deployment in this window yet.'),
        { title: l10n.t('Deploy Project'), command: COMMANDS.deployProject },
        { title: l10n.t('Show Last Deployment'), command: COMMANDS.showLastDeployment },
      );
      if (choice) void vscode.commands.executeCommand(choice.command);
      return;
    }
    await action(session);
  }

  void restoreAfterReload().catch((error: unknown) =>
    log.error(l10n.t('Could not restore the deployments after the reload: {0}', error instanceof Error ? error.message : String(error))),
  );

  return [
    historyDocuments,
    vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, historyDocuments),
    templateDocuments,
    vscode.workspace.registerTextDocumentContentProvider(TEMPLATE_SCHEME, templateDocuments),
    vscode.commands.registerCommand(COMMANDS.deployProject, async (uri?: unknown) => {
      // Only a file a provider claims as its input (a template) is one to configure; another file or a folder just names the workspace.
      const template = uri instanceof vscode.Uri && kindClaiming(uri) ? uri : undefined;
      const folder = folderFor(uri instanceof vscode.Uri ? uri : undefined);
      if (!folder) {
        void vscode.window.showErrorMessage(openFolderFirst(allDescriptors().map((d) => d.input.description)));
        return;
      }
      const info = await readInfoOrConfigure(folder, template);
      if (info) await deploy(info);
    }),
    vscode.commands.registerCommand(COMMANDS.showMonitor, (key?: unknown) => withSession(key, show)),
    vscode.commands.registerCommand(COMMANDS.saveStagedTemplate, async (key?: unknown) => withSession(await meant(key, 'canSaveStaged'), saveTemplateOf)),
    vscode.commands.registerCommand(COMMANDS.stopDeployment, async (key?: unknown) => {
      const chosen = await stopTarget(key);
      if (chosen === null) return;
      await withSession(chosen, async (session) => {
        const stop = toViewModel(session.snapshot).controls.stop;
        if (!stop.enabled) {
          void vscode.window.showWarningMessage(stopRefusalText(session.target.name, stop.reason));
          return;
        }
        if (!(await confirmStop(session))) return;
        session.send({ type: 'STOP' });
        show(session);
      });
    }),
    vscode.commands.registerCommand(COMMANDS.showLogs, () => log.show(true)),
    vscode.commands.registerCommand(COMMANDS.compareWithDeployed, async (key?: unknown) =>
      withSession(await meant(key, 'canCompare'), (session) => host.compareWithDeployed(session)),
    ),
    vscode.commands.registerCommand(COMMANDS.showLastDeployment, async () => {
      const info = tryReadInfo(folderFor());
      const own = info ? history.list(sessionKey(targetOf(info.settings))) : [];
      await historyDocuments.show(own.length > 0 ? own : (history.latest()?.entries ?? []));
    }),
    vscode.commands.registerCommand(COMMANDS.configureStack, async () => {
      const folder = folderFor();
      if (!folder) {
        void vscode.window.showErrorMessage(l10n.t('Stackwatch: open a folder first.'));
        return;
      }
      await configureStack(folder);
    }),
    vscode.window.registerWebviewPanelSerializer(MONITOR_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const key = stackKeyFromSavedPanel(state);
        if (!key || !manager.knows(key)) {
          // Finished before the reload (its result is in Show Last Deployment), or unknown:
          // nothing to reattach to, and nothing to paint that would vanish a moment later.
          panel.dispose();
          return;
        }
        // The last known state at once; restoring the session waits for the provider's SDK.
        const restoring = new RestoringPanel(panel, host.extensionUri);
        reviving.add(key);
        let session: DeploymentSession | undefined;
        try {
          session = await sessionFor(key);
        } catch (error) {
          log.error(l10n.t('Could not reattach the monitor: {0}', error instanceof Error ? error.message : String(error)));
        } finally {
          reviving.delete(key);
        }
        if (!session) {
          // Its saved state could not be used; restorePersisted (or the line above) has said why.
          restoring.dispose();
          panel.dispose();
          return;
        }
        manager.focus(session);
        if (restoring.isClosed) {
          // Closed while the session came back: the deployment goes on with the status bar, and
          // the monitor stays closed after the next reload too.
          restoring.dispose();
          deps.openMonitors.closed(key);
        } else MonitorPanel.revive(restoring, session, host);
      },
    }),
  ];
}

/** Deploy Project without a folder: what to open, naming each provider's input. */
function openFolderFirst(inputs: readonly string[]): string {
  if (inputs.length === 2) return l10n.t('Stackwatch: open a folder with {0} or {1} first.', inputs[0], inputs[1]);
  if (inputs.length === 1) return l10n.t('Stackwatch: open a folder with {0} first.', inputs[0]);
  return l10n.t(
    'Stackwatch: open a folder with {0} first.',
    inputs.join(l10n.t({ message: ' or ', comment: ['Joins the kinds of input a folder may hold: "a template or a configuration".'] })),
  );
}
