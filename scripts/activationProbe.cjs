/**
 * Loads the built extension bundle with a stand-in `vscode` module and calls activate(), printing
 * how long each took: what VS Code pays before the extension's first command can run.
 * Used by `npm run bench`; argv[2] is the bundle. A bundle without activate() (a provider's,
 * dist/providers/<kind>.js) is only loaded, and its top-level exports are listed.
 */
const Module = require('node:module');

// Every API object is a callable, constructible proxy; only the top-level names must be real keys.
const API_NAMES = [
  'ConfigurationTarget',
  'Diagnostic',
  'DiagnosticSeverity',
  'Disposable',
  'EventEmitter',
  'ExtensionMode',
  'ProgressLocation',
  'Position',
  'Range',
  'RelativePattern',
  'StatusBarAlignment',
  'ThemeColor',
  'Uri',
  'ViewColumn',
  'TabInputWebview',
  'commands',
  'env',
  'extensions',
  'languages',
  'tasks',
  'window',
  'workspace',
];
const stub = () =>
  new Proxy(function () {}, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : key === 'prototype' ? {} : stub()),
    apply: () => stub(),
    construct: () => stub(),
    set: () => true,
    defineProperty: () => true,
  });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: Object.fromEntries(API_NAMES.map((name) => [name, stub()])) };

const loadStart = process.hrtime.bigint();
const extension = require(require('node:path').resolve(process.argv[2]));
const loadMs = Number(process.hrtime.bigint() - loadStart) / 1e6;
if (typeof extension.activate !== 'function') {
  console.log(JSON.stringify({ loadMs, exports: Object.keys(extension) }));
} else {
  const activateStart = process.hrtime.bigint();
  extension.activate({ subscriptions: [], workspaceState: stub(), globalState: stub(), extensionUri: stub(), extension: stub() });
  const activateMs = Number(process.hrtime.bigint() - activateStart) / 1e6;
  console.log(JSON.stringify({ loadMs, activateMs }));
}
