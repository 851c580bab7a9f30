/** Webview entry: connect to the host, paint the saved model at once, then follow the host's messages. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { App } from './app';
import { placeTooltipsWithin } from './tooltipPlacement';
import { connectHost } from './vscodeApi';

const host = connectHost();
const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
placeTooltipsWithin(root);
const app = new App(root, { post: (message) => host.post(message), persist: (model) => host.saveModel(model) });

const saved = host.savedModel();
if (saved) app.show(saved);
window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
host.post({ type: 'ready' });
