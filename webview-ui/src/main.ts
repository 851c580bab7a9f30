/** Webview entry: take the host's translations, connect to the host, paint the saved model at once, then follow the host's messages. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import * as l10n from '@vscode/l10n';
import { App } from './app';
import { placeTooltipsWithin } from './tooltipPlacement';
import { connectHost } from './vscodeApi';

// The host's translations (src/ui/monitorHtml.ts), before anything is painted: in English there are none.
l10n.config({ contents: hostTranslations() });

const host = connectHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
placeTooltipsWithin(root);
const app = new App(root, { post: (message) => host.post(message), persist: (model) => host.saveModel(model) });

const saved = host.savedModel();
if (saved) app.show(saved);
window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
host.post({ type: 'ready' });

/** The translations the host put on <body> as JSON; none (English) when absent or unreadable. */
function hostTranslations(): Record<string, string> {
  const text = document.body.dataset.l10n;
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}
