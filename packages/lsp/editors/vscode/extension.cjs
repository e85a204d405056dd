// A minimal VS Code client for ptnad-bql-lsp: starts the server over stdio for .bql files and hunt packs.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const configured = vscode.workspace.getConfiguration('ptnadBql').get('serverPath') || 'ptnad-bql-lsp';
  // A .js path is run with the Node that VS Code ships; anything else is an executable on PATH.
  const run = configured.endsWith('.js')
    ? { command: process.execPath, args: [configured, '--stdio'], transport: TransportKind.stdio }
    : { command: configured, args: ['--stdio'], transport: TransportKind.stdio };
  client = new LanguageClient(
    'ptnadBql',
    'PT NAD BQL',
    { run, debug: run },
    {
      documentSelector: [
        { scheme: 'file', language: 'bql' },
        { scheme: 'file', language: 'json', pattern: '**/{*pack*,filters}.json' },
      ],
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
