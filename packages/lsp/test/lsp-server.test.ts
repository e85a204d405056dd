/**
 * The language server driven over stdio by a real JSON-RPC client (vscode-jsonrpc): open, edit, diagnostics,
 * completion, hover, formatting and folding, for `.bql` files and for the filters of hunt-pack JSON files.
 * Needs the built server (`npm run build`, which `npm test` runs first).
 */

import { BqlSyntaxError, format, parse, validate } from 'ptnad-client/bql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdits, type CompletionItem, type Diagnostic, LspClient, positionOf } from './helpers/lsp-client.js';

let client: LspClient;
let capabilities: Record<string, unknown>;

beforeAll(async () => {
  ({ client, capabilities } = await LspClient.start());
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

const items = (r: CompletionItem[] | { items: CompletionItem[] } | null): CompletionItem[] =>
  r === null ? [] : Array.isArray(r) ? r : r.items;
const labels = (r: CompletionItem[] | { items: CompletionItem[] } | null): string[] => items(r).map((i) => i.label);

/** The toolkit's findings for one query, as `ptnad bql check` computes them. */
function toolkitMessages(text: string): string[] {
  try {
    return validate(parse(text)).map((d) => d.message);
  } catch (err) {
    if (err instanceof BqlSyntaxError) return [err.reason];
    throw err;
  }
}

const BQL_URI = 'file:///hunt/queries.bql';
const BQL_TEXT = [
  'SELECT src.ip, dst.ip, proto FROM flow WHERE end > 2025.02.25 and end < 2025.02.26 LIMIT 10',
  '',
  "SELECT src.ip, dst.prot FROM flow WHERE app_proto == 'htp'",
  '  AND dst.groups != HOME_NET',
  '',
  'http(rqs.method == POST && rsp.code == 200)',
].join('\n');

describe('a .bql document', () => {
  it('advertises completion, hover, formatting and folding', () => {
    expect(capabilities).toMatchObject({
      hoverProvider: true,
      documentFormattingProvider: true,
      foldingRangeProvider: true,
      completionProvider: expect.any(Object),
    });
  });

  it('gets the toolkit diagnostics on open, at the right ranges', async () => {
    const { diagnostics } = await client.open(BQL_URI, 'bql', BQL_TEXT);
    const second = BQL_TEXT.split('\n\n')[1] as string;
    expect(diagnostics.map((d) => d.message).sort()).toEqual(toolkitMessages(second).sort());
    const typo = diagnostics.find((d) => d.code === 'unknown-field') as Diagnostic;
    expect(typo.message).toContain("did you mean 'dst.port'");
    expect(typo.range).toEqual({ start: positionOf(BQL_TEXT, 'dst.prot'), end: positionOf(BQL_TEXT, 'dst.prot', 8) });
    expect(typo.severity).toBe(2);
    expect(typo.source).toBe('ptnad-bql');
    const value = diagnostics.find((d) => d.code === 'unknown-value') as Diagnostic;
    expect(value.range.start).toEqual(positionOf(BQL_TEXT, "'htp'"));
  });

  it('re-checks after incremental edits: a fix clears the warning, a syntax error appears where it is', async () => {
    const fixed = BQL_TEXT.replace('dst.prot', 'dst.port').replace("'htp'", "'http'");
    let r = await client.change(BQL_URI, 'port', {
      start: positionOf(BQL_TEXT, 'dst.prot', 4),
      end: positionOf(BQL_TEXT, 'dst.prot', 8),
    });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['unknown-value']);
    r = await client.change(BQL_URI, fixed);
    expect(r.diagnostics).toEqual([]);
    const broken = fixed.replace('rsp.code == 200', 'rsp.code = 200');
    r = await client.change(BQL_URI, broken);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0] as Diagnostic;
    expect(d.severity).toBe(1);
    expect(d.code).toBe('syntax');
    expect(d.message).toBe(toolkitMessages('http(rqs.method == POST && rsp.code = 200)')[0]);
    expect(d.range.start).toEqual(positionOf(broken, '= 200'));
    await client.change(BQL_URI, fixed);
  });

  it('completes tables after FROM, values after an operator, operators after a field, names elsewhere', async () => {
    const text =
      'SELECT msg,  FROM alert WHERE pr <= 2\n\napp_proto == \n\ndst.port \n\nhttp(rqs.me)\n\nSELECT id FROM ';
    await client.change(BQL_URI, text);
    const inSelect = items(await client.completion(BQL_URI, positionOf(text, 'msg, ', 5)));
    expect(inSelect.map((i) => i.label)).toEqual(expect.arrayContaining(['msg', 'pr', 'attacker.ip', 'flow.dst.port']));
    expect(inSelect.map((i) => i.label)).not.toContain('dst.port');
    const pr = inSelect.find((i) => i.label === 'pr') as CompletionItem;
    expect(pr.detail).toBe('int');
    expect(JSON.stringify(pr.documentation)).toContain('Priority');
    const values = labels(await client.completion(BQL_URI, positionOf(text, 'app_proto == ', 13)));
    expect(values).toEqual(expect.arrayContaining(["'http'", "'dns'", "'smb'", "'bittorrent'"]));
    expect(labels(await client.completion(BQL_URI, positionOf(text, 'dst.port ', 9)))).toEqual(
      expect.arrayContaining(['==', '!=', '~', '<', '>=', 'in']),
    );
    const nested = items(await client.completion(BQL_URI, positionOf(text, 'rqs.me', 6)));
    const method = nested.find((i) => i.label === 'rqs.method') as CompletionItem;
    expect(method.textEdit?.range).toEqual({ start: positionOf(text, 'rqs.me'), end: positionOf(text, 'rqs.me', 6) });
    expect(labels(await client.completion(BQL_URI, positionOf(text, 'FROM ', 5, 1)))).toEqual(
      expect.arrayContaining(['flow', 'alert', 'http', 'files']),
    );
  });

  it('hovers on a field with its catalogue entry, and on a table', async () => {
    const text = 'SELECT src.geo.location FROM flow WHERE dst.port == 443 && flags == FINISHED';
    await client.change(BQL_URI, text);
    const port = await client.hover(BQL_URI, positionOf(text, 'dst.port', 5));
    expect(port?.contents.value).toContain('**dst.port**: `port` field of `flow`');
    expect(port?.range).toEqual({ start: positionOf(text, 'dst.port'), end: positionOf(text, 'dst.port', 8) });
    expect((await client.hover(BQL_URI, positionOf(text, 'flags', 1)))?.contents.value).toContain('Known values');
    expect((await client.hover(BQL_URI, positionOf(text, 'src.geo.location', 2)))?.contents.value).toContain('float[]');
    expect((await client.hover(BQL_URI, positionOf(text, 'flow', 1)))?.contents.value).toContain('(table)');
  });

  it('formats every query through the printer and folds long ones', async () => {
    const long =
      "select src.ip,dst.ip,(SELECT msg,pr FROM alert LIMIT 5) FROM flow where app_proto=='http' and (dst.port!=80 or src.groups!=HOME_NET) limit 10";
    const text = `${long}\n\nfiles.filename~'*amd64.deb'\n\nthis is ( not bql`;
    await client.change(BQL_URI, text);
    const edits = (await client.formatting(BQL_URI)) ?? [];
    const formatted = applyEdits(text, edits);
    const pretty = format(parse(long), { pretty: true });
    expect(formatted).toBe(`${pretty}\n\n${format(parse("files.filename~'*amd64.deb'"))}\n\nthis is ( not bql`);
    await client.change(BQL_URI, formatted);
    const folds = (await client.foldingRanges(BQL_URI)) ?? [];
    expect(folds).toContainEqual({ startLine: 0, endLine: pretty.split('\n').length - 1, kind: 'region' });
  });
});

describe('a hunt pack', () => {
  const PACK_URI = 'file:///hunt/pack.json';
  // Escapes before and inside the filters: the ranges must land on the raw JSON text.
  const PACK = `[
  { "name": { "en": "Miners \\"quoted\\"" }, "filter": "rpt.cat == \\u0027miners\\u0027 && dst.prot == 1" },
  { "name": "DNS", "filter": "app_proto == \\"dsn\\"\\n  && dst.port != 53" },
  { "name": "fine", "filter": "files" }
]`;

  it('checks each filter string and maps ranges through the escapes', async () => {
    const { diagnostics } = await client.open(PACK_URI, 'json', PACK);
    const typo = diagnostics.find((d) => d.code === 'unknown-field') as Diagnostic;
    expect(typo.range).toEqual({ start: positionOf(PACK, 'dst.prot'), end: positionOf(PACK, 'dst.prot', 8) });
    const value = diagnostics.find((d) => d.code === 'unknown-value') as Diagnostic;
    // The literal "dsn" spans the escaped quotes: from the backslash of \" to the end of the closing \".
    expect(value.range).toEqual({ start: positionOf(PACK, '\\"dsn'), end: positionOf(PACK, 'dsn\\"', 5) });
    expect(value.message).toBe(toolkitMessages('app_proto == "dsn"\n  && dst.port != 53')[0]);
    expect(diagnostics).toHaveLength(2);
  });

  it('completes and formats inside the JSON strings, escaping what it inserts', async () => {
    const dns = labels(await client.completion(PACK_URI, positionOf(PACK, 'dst.port != 53', 9)));
    expect(dns).toEqual(expect.arrayContaining(['==', '!=']));
    const names = items(await client.completion(PACK_URI, positionOf(PACK, 'dst.prot', 6)));
    expect(names.find((i) => i.label === 'dst.port')?.textEdit?.range).toEqual({
      start: positionOf(PACK, 'dst.prot'),
      end: positionOf(PACK, 'dst.prot', 6),
    });
    const formatted = applyEdits(PACK, (await client.formatting(PACK_URI)) ?? []);
    const entries = JSON.parse(formatted) as Array<{ filter: string }>;
    expect(entries.map((e) => e.filter)).toEqual([
      format(parse("rpt.cat == 'miners' && dst.prot == 1")),
      format(parse('app_proto == "dsn"\n  && dst.port != 53')),
      'files',
    ]);
  });
});
