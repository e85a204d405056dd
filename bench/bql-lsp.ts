/**
 * Language-server latency (issue 17): a 5,000-line `.bql` document with 500 queries is opened in the built
 * `ptnad-bql-lsp` (a child process, over stdio, through vscode-jsonrpc), then edited one query at a time; the
 * figure is the median time from sending `didChange` to receiving its `publishDiagnostics`. Goal: < 100 ms.
 * Run alone with `npx tsx bench/bql-lsp.ts` (after `npm run build`).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../packages/lsp/test/helpers/lsp-client.js';
import type { BenchRow } from './run.js';
import { median } from './stats.js';

/** 500 queries of 10 lines each (9 lines of query and a blank separator): 5,000 lines. */
export function bigDocument(queries = 500): string {
  const parts: string[] = [];
  for (let i = 0; i < queries; i++) {
    parts.push(
      [
        'SELECT src.ip, dst.ip, dst.port, app_proto,',
        '  bytes.total, pkts.total, start, end',
        'FROM flow',
        `WHERE app_proto == 'http'`,
        `  AND dst.port != ${80 + (i % 100)}`,
        `  AND src.groups == 'HOME_NET'`,
        `  AND (flags == 'FINISHED' || pkts.recv > ${i})`,
        `  AND ${i % 7 === 0 ? 'dst.prot' : 'dst.port'} > 0`,
        `LIMIT ${i + 1}`,
      ].join('\n'),
    );
  }
  return `${parts.join('\n\n')}\n\n`;
}

/** Result of {@link benchLsp}. */
export interface LspBenchResult {
  lines: number;
  queries: number;
  openMs: number;
  editMs: number[];
  diagnostics: number;
}

/** Opens the document, then times `edits` single-query edits spread over the document. */
export async function benchLsp(edits = 21): Promise<LspBenchResult> {
  const text = bigDocument();
  const { client } = await LspClient.start();
  try {
    const uri = 'file:///bench/big.bql';
    const t0 = performance.now();
    const opened = await client.open(uri, 'bql', text);
    const openMs = performance.now() - t0;
    const editMs: number[] = [];
    let diagnostics = opened.diagnostics.length;
    for (let k = 0; k < edits; k++) {
      // Line 9 of query q is its LIMIT line: change the number, as someone typing would.
      const q = (k * 37) % 500;
      const line = q * 10 + 8;
      const t = performance.now();
      const r = await client.change(uri, `LIMIT ${1000 + k}`, {
        start: { line, character: 0 },
        end: { line, character: `LIMIT ${q + 1}`.length },
      });
      editMs.push(performance.now() - t);
      diagnostics = r.diagnostics.length;
    }
    return { lines: text.split('\n').length - 1, queries: 500, openMs, editMs, diagnostics };
  } finally {
    await client.stop();
  }
}

/** Rows for `npm run bench`. */
export async function bqlLspRows(): Promise<BenchRow[]> {
  const r = await benchLsp();
  const m = median(r.editMs);
  return [
    {
      case: `BQL language server: diagnostics after an edit of a ${r.lines.toLocaleString('en-US')}-line document with ${r.queries} queries`,
      figure: `${m.toFixed(1)} ms (median of ${r.editMs.length} edits; open ${Math.round(r.openMs)} ms; ${r.diagnostics} diagnostics)`,
      goal: '< 100 ms',
      met: m < 100,
      details: { editMs: r.editMs, openMs: r.openMs },
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const row of await bqlLspRows()) {
    process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal}: ${row.met ? 'met' : 'NOT met'})\n`);
  }
}
