/**
 * ptnad-bql-lsp: a language server for PT NAD BQL. Run the `ptnad-bql-lsp` binary from an editor (stdio), or
 * embed it with {@link serve} on a connection of your own.
 */

export { diagnose, type Finding } from './diagnose.js';
export { complete, foldingRanges, formatDocument, hover } from './features.js';
export { bqlRegions, jsonFilterRegions, type Region } from './regions.js';
export { documentDiagnostics, isJsonDocument, regionsOf, SOURCE, serve, startStdioServer } from './server.js';
