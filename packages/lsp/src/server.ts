/**
 * The language server: keeps the open documents, finds their BQL regions, and answers the LSP requests.
 * Diagnostics are pushed after every open and change; only queries whose text changed are re-checked.
 */

import {
  type Connection,
  createConnection,
  type Diagnostic,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosisCache } from './diagnose.js';
import { complete, foldingRanges, formatDocument, hover } from './features.js';
import { bqlRegions, jsonFilterRegions, type Region, toDocument } from './regions.js';

/** The source name shown beside diagnostics. */
export const SOURCE = 'ptnad-bql';

/** True when a document is a hunt pack (JSON with `"filter"` strings) rather than a `.bql` file. */
export function isJsonDocument(doc: { uri: string; languageId: string }): boolean {
  return doc.languageId === 'json' || doc.languageId === 'jsonc' || /\.jsonc?$/i.test(doc.uri);
}

/** The BQL regions of a document, by its kind. */
export function regionsOf(doc: TextDocument): Region[] {
  return isJsonDocument(doc) ? jsonFilterRegions(doc.getText()) : bqlRegions(doc.getText());
}

interface Model {
  version: number;
  regions: Region[];
}

/** The diagnostics of a whole document, with a per-document cache of per-query findings. */
export function documentDiagnostics(
  doc: TextDocument,
  regions: readonly Region[],
  cache: DiagnosisCache,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const region of regions) {
    for (const f of cache.get(region.text)) {
      const d: Diagnostic = {
        range: {
          start: doc.positionAt(toDocument(region, f.start)),
          end: doc.positionAt(toDocument(region, f.end)),
        },
        severity: f.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        message: f.message,
        code: f.code,
        source: SOURCE,
      };
      if (f.suggestion !== undefined) d.data = { suggestion: f.suggestion };
      out.push(d);
    }
  }
  cache.endPass();
  return out;
}

/** Wires the handlers onto a connection and starts listening. */
export function serve(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const models = new Map<string, Model>();
  const caches = new Map<string, DiagnosisCache>();

  const model = (doc: TextDocument): Model => {
    let m = models.get(doc.uri);
    if (m === undefined || m.version !== doc.version) {
      m = { version: doc.version, regions: regionsOf(doc) };
      models.set(doc.uri, m);
    }
    return m;
  };

  const publish = (doc: TextDocument): void => {
    let cache = caches.get(doc.uri);
    if (cache === undefined) {
      cache = new DiagnosisCache();
      caches.set(doc.uri, cache);
    }
    const diagnostics = documentDiagnostics(doc, model(doc).regions, cache);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', ' ', '=', '~', '(', "'", '"', '['] },
      hoverProvider: true,
      documentFormattingProvider: true,
      foldingRangeProvider: true,
    },
    serverInfo: { name: 'ptnad-bql-lsp' },
  }));

  documents.onDidChangeContent((e) => publish(e.document));
  documents.onDidClose((e) => {
    models.delete(e.document.uri);
    caches.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const withDoc = <T>(uri: string, fallback: T, f: (doc: TextDocument, regions: Region[]) => T): T => {
    const doc = documents.get(uri);
    return doc === undefined ? fallback : f(doc, model(doc).regions);
  };
  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (d, r) => complete(d, r, p.position)));
  connection.onHover((p) => withDoc(p.textDocument.uri, null, (d, r) => hover(d, r, p.position)));
  connection.onDocumentFormatting((p) => withDoc(p.textDocument.uri, [], (d, r) => formatDocument(d, r)));
  connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (d, r) => foldingRanges(d, r)));

  documents.listen(connection);
  connection.listen();
}

/** Starts the server on this process's stdin and stdout (what `--stdio` clients expect). */
export function startStdioServer(): Connection {
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  serve(connection);
  return connection;
}
