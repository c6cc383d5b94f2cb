// Starts `govlint server` for the workspace's YAML files and passes it the
// `govlint.*` settings; everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("govlint");
  const options = {};
  for (const key of ["rules", "asOf", "denyWarnings", "waived"]) {
    const value = settings.get(key);
    if (value !== null && value !== undefined) options[key] = value;
  }
  client = new LanguageClient(
    "govlint",
    "govlint",
    { command: settings.get("path"), args: ["server"] },
    {
      documentSelector: [{ language: "yaml", pattern: settings.get("files") }],
      initializationOptions: options,
    }
  );
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
