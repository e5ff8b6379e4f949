// Starts `gouji lsp` for report YAML, .gouji rule files and gouji.toml. Everything else —
// diagnostics, quick fixes, hover, completion — is the server's (docs/editors.md).
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function makeClient(): LanguageClient {
  const config = vscode.workspace.getConfiguration("gouji");
  const command = config.get<string>("path", "gouji");
  const lang = config.get<string>("lang", "zh");
  const run = { command, args: ["lsp"], options: { env: { ...process.env, GOUJI_LANG: lang } } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "gouji" },
      { scheme: "file", pattern: "**/gouji.toml" },
    ],
  };
  return new LanguageClient("gouji", "gouji 勾稽", serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = makeClient();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("gouji")) {
        await client?.stop();
        client = makeClient();
        await client.start();
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
