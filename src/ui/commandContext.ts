/**
 * Publishes the `when`-clause context keys of commandContextModel.ts for every deployment in this
 * window, and only when a value changes.
 */
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../commands/ids';
import type { DeploymentSnapshot } from '../deployment/machine';
import type { DeploymentSession } from '../deployment/session';
import { commandContextOf, windowCommandContext, type CommandContext, type CommandContextKey } from './commandContextModel';

export class CommandContextKeys {
  private readonly bySession = new Map<string, CommandContext>();
  private readonly shown = new Map<CommandContextKey, boolean>();

  constructor() {
    // A restarted extension host starts from nothing: keys the last one set must not linger.
    const none = windowCommandContext([]);
    for (const key of Object.keys(none) as CommandContextKey[]) {
      this.shown.set(key, none[key]);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS[key], none[key]);
    }
  }

  /** Follows a session until the returned function is called. */
  follow(session: DeploymentSession): () => void {
    const update = (snapshot: DeploymentSnapshot): void => {
      this.bySession.set(session.key, commandContextOf(snapshot, session.capabilities));
      this.publish();
    };
    update(session.snapshot);
    const unsubscribe = session.onDidChange(update);
    return () => {
      unsubscribe();
      this.bySession.delete(session.key);
      this.publish();
    };
  }

  private publish(): void {
    const now = windowCommandContext(this.bySession.values());
    for (const key of Object.keys(now) as CommandContextKey[]) {
      if (this.shown.get(key) === now[key]) continue;
      this.shown.set(key, now[key]);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS[key], now[key]);
    }
  }
}
