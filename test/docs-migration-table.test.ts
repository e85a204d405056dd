/**
 * The call table of the migration guide (docs/guide/migrating-from-python.md and its Russian twin) cannot rot:
 * - every code span in a "TypeScript" column names something the SDK really has: `client.x.y(...)` is a method of
 *   `PTNADClient` (and the keys of an object literal argument, `{ a, b }`, are properties of that parameter's
 *   type), `new PTNADClient(url, { ... })` names `ClientOptions` keys, and a bare name is an export of
 *   `ptnad-client` or `ptnad-client/bql` (a value or a type);
 * - every `ptnad ...` span in a "CLI" column is a real command path, with options that command (or the
 *   program) declares;
 * - every public call of the Python client appears in a "Python" column.
 * The SDK side is read with the TypeScript compiler from the sources, so types and interfaces count too.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../packages/cli/src/action.js';
import { NOUNS } from '../packages/cli/src/commands/index.js';
import { main } from '../packages/cli/src/main.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GUIDES = ['docs/guide/migrating-from-python.md', 'docs/ru/guide/migrating-from-python.md'];

/**
 * The public calls of the Python client `ptnad-client` 0.2.1 (Security-Experts-Community/ptnad-client at 21db300:
 * `src/ptnad/client.py`, `src/ptnad/api/*.py`), as the table's Python column writes them.
 */
const PYTHON_CALLS = [
  'PTNADClient(',
  'set_auth(',
  'login()',
  'logout()',
  'request(',
  'client.get',
  'client.post',
  'client.put',
  'client.patch',
  'client.delete',
  'bql.execute(',
  'bql.execute_raw(',
  'filters.compile(',
  ...['get_status', 'get_triggers', 'get_trigger_by_id', 'get_active_triggers', 'get_triggers_by_type'].map(
    (m) => `monitoring.${m}(`,
  ),
  ...[
    'get_lists',
    'get_all_lists',
    'create_list',
    'get_list',
    'update_list',
    'delete_list',
    'add_dynamic_list_item',
    'remove_item',
    'get_dynamic_list_items',
    'bulk_add_items',
    'bulk_delete_items',
    'get_stats',
  ].map((m) => `replists.${m}(`),
  ...['get_classes', 'get_rules', 'get_rule', 'update_rule', 'get_stats', 'apply_changes', 'revert_changes'].map(
    (m) => `signatures.${m}(`,
  ),
  ...['create_group', 'get_groups', 'get_group', 'update_group', 'delete_group', 'get_stats'].map(
    (m) => `variables.${m}(`,
  ),
  'sources.get_sources(',
  'sources.get_source(',
  'sensors.get_sensors(',
  'sensors.get_sensor(',
  'hosts.get_hosts(',
  'hosts.get_all_hosts(',
  'hosts.get_host(',
  'storage.get_flows(',
  'storage.save_flows(',
  'PTNADException',
  'PTNADAPIError',
  'AuthenticationError',
  'ValidationError',
];

interface Table {
  guide: string;
  header: string[];
  rows: string[][];
}

/** Splits a Markdown table row on the pipes that are not inside a code span. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let tick = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '`') {
      let run = 1;
      while (line[i + run] === '`') run++;
      if (tick === 0) tick = run;
      else if (tick === run) tick = 0;
      cell += line.slice(i, i + run);
      i += run - 1;
    } else if (ch === '\\' && line[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|' && tick === 0) {
      out.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  return out.slice(1);
}

function tables(guide: string): Table[] {
  const lines = readFileSync(ROOT + guide, 'utf8').split('\n');
  const found: Table[] = [];
  let current: Table | undefined;
  for (const line of lines) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = { guide, header: cells(line), rows: [] };
      found.push(current);
    } else if (!/^\|[\s|:-]+\|$/.test(line)) {
      current.rows.push(cells(line));
    }
  }
  return found;
}

/** The code spans of a cell (single or double backticks). */
function spans(cell: string): string[] {
  return [...cell.matchAll(/(`+)\s?(.+?)\s?\1/g)].map((m) => m[2] ?? '');
}

function column(guide: string, name: string): string[] {
  const out: string[] = [];
  for (const t of tables(guide)) {
    const i = t.header.indexOf(name);
    if (i < 0) continue;
    for (const row of t.rows) out.push(...spans(row[i] ?? ''));
  }
  return out;
}

// --- The SDK's surface, read by the TypeScript compiler.

const program = ts.createProgram({
  rootNames: [`${ROOT}packages/client/src/index.ts`, `${ROOT}packages/client/src/bql/index.ts`],
  options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true },
});
const checker = program.getTypeChecker();

function moduleExports(file: string): Map<string, ts.Symbol> {
  const source = program.getSourceFile(ROOT + file);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`cannot read the exports of ${file}`);
  return new Map(checker.getExportsOfModule(symbol).map((s) => [s.name, s]));
}

const EXPORTS = new Map([
  ...moduleExports('packages/client/src/bql/index.ts'),
  ...moduleExports('packages/client/src/index.ts'),
]);

function declaredType(name: string): ts.Type {
  const symbol = EXPORTS.get(name);
  if (!symbol) throw new Error(`ptnad-client exports no ${name}`);
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return checker.getDeclaredTypeOfSymbol(target);
}

const CLIENT = declaredType('PTNADClient');

function hasProperty(type: ts.Type, key: string): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.some((t) => checker.getPropertyOfType(t, key) !== undefined);
}

/** The keys of `{ a, b: 1, c }` (an object literal written in a table cell). */
function objectKeys(arg: string): string[] {
  const inner = arg.trim().replace(/^\{/, '').replace(/\}$/, '');
  return inner
    .split(',')
    .map((p) => (p.split(':')[0] ?? '').trim())
    .filter((k) => k !== '' && k !== '...');
}

/** Splits the top-level arguments of a call written in a table cell. */
function callArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let arg = '';
  for (const ch of text) {
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    if (ch === '}' || ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      args.push(arg.trim());
      arg = '';
    } else arg += ch;
  }
  if (arg.trim() !== '') args.push(arg.trim());
  return args;
}

/** What is wrong with one TypeScript span, or undefined when it is true of the SDK. */
function checkTypeScript(span: string): string | undefined {
  const ctor = /^new PTNADClient\((.*)\)$/.exec(span);
  if (ctor) {
    const options = callArgs(ctor[1] ?? '')[1];
    const missing = options ? objectKeys(options).filter((k) => !hasProperty(declaredType('ClientOptions'), k)) : [];
    return missing.length ? `ClientOptions has no ${missing.join(', ')}` : undefined;
  }
  const call = /^client((?:\.[A-Za-z]+)+)(?:\((.*)\))?$/.exec(span);
  if (call) {
    let type: ts.Type = CLIENT;
    let symbol: ts.Symbol | undefined;
    for (const name of (call[1] ?? '').slice(1).split('.')) {
      symbol = checker.getPropertyOfType(type, name);
      if (!symbol) return `${checker.typeToString(type)} has no "${name}"`;
      type = checker.getNonNullableType(checker.getTypeOfSymbol(symbol));
    }
    const signatures = type.getCallSignatures();
    if (signatures.length === 0) return `${span} is not a method`;
    const args = call[2] === undefined ? [] : callArgs(call[2]);
    for (const [i, arg] of args.entries()) {
      if (!arg.startsWith('{')) continue;
      const params = signatures.map((s) => s.getParameters()[i]).filter((p) => p !== undefined);
      if (params.length === 0) return `${span}: no parameter ${i + 1}`;
      const paramTypes = params.map((p) => checker.getNonNullableType(checker.getTypeOfSymbol(p)));
      const missing = objectKeys(arg).filter((k) => !paramTypes.some((t) => hasProperty(t, k)));
      if (missing.length) return `${span}: parameter ${i + 1} has no ${missing.join(', ')}`;
    }
    return undefined;
  }
  const member = /^([A-Z][\w$]*)\.([A-Za-z_$][\w$]*)$/.exec(span);
  if (member) {
    const [, owner = '', key = ''] = member;
    if (!EXPORTS.has(owner)) return `ptnad-client exports no ${owner}`;
    return hasProperty(declaredType(owner), key) ? undefined : `${owner} has no "${key}"`;
  }
  if (/^[A-Za-z_$][\w$]*$/.test(span)) return EXPORTS.has(span) ? undefined : `ptnad-client exports no ${span}`;
  return `not a form this test can check: ${span}`;
}

// --- The CLI's commands, registered as `ptnad` registers them.

async function cliProgram(): Promise<{ program: Command; globals: Set<string> }> {
  const program = new Command();
  const runner = {
    env: {},
    streams: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
    signal: new AbortController().signal,
    argv: [],
    setContext: () => undefined,
    setCode: () => undefined,
  } as unknown as Runner;
  for (const noun of NOUNS) (await noun.load()).register(program, runner);
  let help = '';
  const sink = {
    write: (t: string) => {
      help += t;
      return true;
    },
    on: () => sink,
    off: () => sink,
  };
  await main(['--help'], { env: {}, streams: { stdout: sink, stderr: sink, stdin: process.stdin } as never });
  return { program, globals: new Set(help.match(/--[a-z][a-z-]*/g) ?? []) };
}

function checkCli(span: string, program: Command, globals: Set<string>): string | undefined {
  const words = span.split(/\s+/).slice(1);
  let command = program;
  for (const word of words) {
    if (word.startsWith('-')) break;
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) {
      if (command === program) return `ptnad has no command "${word}"`;
      break; // an argument (KEY, ID, QUERY, ...)
    }
    command = sub;
  }
  for (const option of words.filter((w) => w.startsWith('--'))) {
    const known = command.options.some((o) => o.long === option) || globals.has(option);
    if (!known) return `"${span}": "${command.name()}" has no option ${option}`;
  }
  return undefined;
}

describe.each(GUIDES)('the call table of %s', (guide) => {
  it('has the tables, each with Python and TypeScript columns', () => {
    const callTables = tables(guide).filter((t) => t.header.includes('TypeScript'));
    expect(callTables.length).toBeGreaterThanOrEqual(6);
    for (const t of callTables) expect(t.header).toContain('Python');
  });

  it('names only what the SDK exports, with the right parameters', () => {
    const names = column(guide, 'TypeScript');
    expect(names.length).toBeGreaterThan(70);
    const wrong = names.map((n) => checkTypeScript(n)).filter((e) => e !== undefined);
    expect(wrong).toEqual([]);
  });

  it('names only real CLI commands and options', async () => {
    const { program, globals } = await cliProgram();
    const commands = column(guide, 'CLI').filter((s) => s.startsWith('ptnad '));
    expect(commands.length).toBeGreaterThan(30);
    const wrong = commands.map((c) => checkCli(c, program, globals)).filter((e) => e !== undefined);
    expect(wrong).toEqual([]);
  });

  it('lists every public call of the Python client', () => {
    const python = column(guide, 'Python').join('\n');
    const missing = PYTHON_CALLS.filter((call) => !python.includes(call));
    expect(missing).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('reject a method, a parameter key, an export and a command that do not exist', async () => {
    expect(checkTypeScript('client.bql.execute(query)')).toBeUndefined();
    expect(checkTypeScript('client.bql.executeAll(query)')).toMatch(/has no "executeAll"/);
    expect(checkTypeScript('client.storage.saveFlows({ filter, persistIdx })')).toBeUndefined();
    expect(checkTypeScript('client.storage.saveFlows({ filter, storageDir })')).toMatch(/no storageDir/);
    expect(checkTypeScript('new PTNADClient(url, { verify_ssl })')).toMatch(/no verify_ssl/);
    expect(checkTypeScript('FlowRef')).toBeUndefined();
    expect(checkTypeScript('APIError.status')).toBeUndefined();
    expect(checkTypeScript('APIError.status_code')).toMatch(/has no "status_code"/);
    expect(checkTypeScript('StorageAPI')).toMatch(/exports no StorageAPI/);
    const { program, globals } = await cliProgram();
    expect(checkCli('ptnad triggers --active', program, globals)).toBeUndefined();
    expect(checkCli('ptnad status --timeout', program, globals)).toBeUndefined();
    expect(checkCli('ptnad replists items list KEY', program, globals)).toBeUndefined();
    expect(checkCli('ptnad triggers --inactive', program, globals)).toMatch(/no option --inactive/);
    expect(checkCli('ptnad storage save', program, globals)).toMatch(/no command "storage"/);
  });
});
