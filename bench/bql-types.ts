/**
 * Compile-time cost of rows typed from the query text (issue 17): generates two files with the same 200
 * realistic queries, one letting `client.bql.query('...')` derive the row type from the text, one annotating
 * every call with `query<{...}>('...')`, and type-checks each with `tsc` in its own process (whole process
 * wall time, runs interleaved, medians). Goal: the derived file takes < 2x the annotated one. The generated
 * files land in `bench/out/bql-types/` (git-ignored) and import the built `ptnad-client` (run `npm run build`).
 * Run alone with `npx tsx bench/bql-types.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type FieldInfo, getTable } from 'ptnad-client/bql';
import type { BenchRow } from './run.js';
import { median } from './stats.js';

const OUT = new URL('./out/bql-types/', import.meta.url);
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** A small deterministic PRNG (mulberry32), so every run generates the same files. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tsType(f: FieldInfo | undefined): string {
  if (f === undefined || f.type === 'object' || f.type === 'unknown') return 'unknown';
  const one =
    f.type === 'port' || f.type === 'int' || f.type === 'float' ? 'number' : f.type === 'bool' ? 'boolean' : 'string';
  return f.array ? `${one}[] | null` : `${one} | null`;
}

interface Generated {
  text: string;
  /** The row type written out, as `query<T>()` users would. */
  rowType: string;
  /** A column the generated code reads. */
  column: string;
}

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)] as T;
}

function fieldsOf(table: string): FieldInfo[] {
  return [...(getTable(table)?.fields.values() ?? [])];
}

/** One query in the shapes real clients send: fields, aliases, quoted names, a function, a subquery. */
function generate(rnd: () => number, i: number): Generated {
  const table = i % 3 === 2 ? 'alert' : 'flow';
  const fields = fieldsOf(table);
  const n = 3 + Math.floor(rnd() * 10);
  const items: string[] = [];
  const props: string[] = [];
  const used = new Set<string>();
  for (let k = 0; k < n; k++) {
    const f = pick(rnd, fields);
    if (used.has(f.name)) continue;
    used.add(f.name);
    const alias = rnd() < 0.15 ? `c${k}` : undefined;
    const quoted = rnd() < 0.2;
    items.push(`${quoted ? `"${f.name}"` : f.name}${alias ? ` ${alias}` : ''}`);
    props.push(`${JSON.stringify(alias ?? f.name)}: ${tsType(f)}`);
  }
  if (table === 'alert' && rnd() < 0.5) {
    items.push("extract_raw_object('false_positive')");
    props.push(`"extract_raw_object('false_positive')": unknown`);
  }
  if (rnd() < 0.3) {
    const sub = table === 'alert' ? 'flow' : 'http';
    const subFields = fieldsOf(sub).slice(0, 4);
    items.push(`(SELECT ${subFields.map((f) => f.name).join(', ')} FROM ${sub} LIMIT 1)`);
    props.push(
      `${JSON.stringify(sub)}: Array<{ ${subFields.map((f) => `${JSON.stringify(f.name)}: ${tsType(f)}`).join('; ')} }>`,
    );
  }
  const where = table === 'flow' ? "app_proto == 'http' && dst.port != 80" : 'pr <= 2';
  const text = `SELECT ${items.join(', ')} FROM ${table} WHERE ${where} LIMIT ${10 + i}`;
  const column = JSON.parse(props[0]?.split(': ')[0] ?? '"id"') as string;
  return { text, rowType: `{ ${props.join('; ')} }`, column };
}

function source(queries: Generated[], annotated: boolean): string {
  const lines = ["import type { PTNADClient } from 'ptnad-client';", ''];
  queries.forEach((q, i) => {
    const call = annotated
      ? `c.bql.query<${q.rowType}>(${JSON.stringify(q.text)})`
      : `c.bql.query(${JSON.stringify(q.text)})`;
    lines.push(`export async function q${i}(c: PTNADClient) {`);
    lines.push(`  const rows = await ${call};`);
    lines.push(`  return { rows, first: rows[0]?.[${JSON.stringify(q.column)}] };`);
    lines.push('}');
  });
  return `${lines.join('\n')}\n`;
}

function tsconfig(file: string): string {
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  };
  return `${JSON.stringify({ compilerOptions, files: [file] }, null, 2)}\n`;
}

function tscMillis(project: string): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [TSC, '-p', project], { stdio: 'pipe' });
  return performance.now() - t0;
}

/** Result of {@link benchBqlTypes}. */
export interface BqlTypesResult {
  queries: number;
  typedMs: number[];
  annotatedMs: number[];
  ratio: number;
}

/** Generates the two files, checks that both compile, then times `tsc` on each `runs` times, interleaved. */
export function benchBqlTypes(queries = 200, runs = 5): BqlTypesResult {
  mkdirSync(OUT, { recursive: true });
  const rnd = prng(17);
  const generated = Array.from({ length: queries }, (_, i) => generate(rnd, i));
  writeFileSync(new URL('typed.ts', OUT), source(generated, false));
  writeFileSync(new URL('annotated.ts', OUT), source(generated, true));
  // The typed file also asserts that each derived row equals the annotated one, so a wrong type fails here.
  const checks = generated.map(
    (_q, i) =>
      `type R${i} = Awaited<ReturnType<typeof T.q${i}>>['rows']; type A${i} = Awaited<ReturnType<typeof A.q${i}>>['rows'];\n` +
      `export const same${i}: [R${i}] extends [A${i}] ? ([A${i}] extends [R${i}] ? true : false) : false = true;`,
  );
  writeFileSync(
    new URL('agree.ts', OUT),
    `import type * as A from './annotated.js';\nimport type * as T from './typed.js';\n${checks.join('\n')}\n`,
  );
  writeFileSync(new URL('package.json', OUT), '{ "type": "module" }\n');
  for (const name of ['typed', 'annotated', 'agree'])
    writeFileSync(new URL(`tsconfig.${name}.json`, OUT), tsconfig(`${name}.ts`));
  const project = (name: string) => fileURLToPath(new URL(`tsconfig.${name}.json`, OUT));
  execFileSync(process.execPath, [TSC, '-p', project('agree')], { stdio: 'pipe' }); // throws with tsc's output if they differ
  const typedMs: number[] = [];
  const annotatedMs: number[] = [];
  tscMillis(project('annotated')); // warm the file cache
  for (let r = 0; r < runs; r++) {
    typedMs.push(tscMillis(project('typed')));
    annotatedMs.push(tscMillis(project('annotated')));
  }
  return { queries, typedMs, annotatedMs, ratio: median(typedMs) / median(annotatedMs) };
}

/** Rows for `npm run bench`. */
export async function bqlTypesRows(): Promise<BenchRow[]> {
  const r = benchBqlTypes();
  return [
    {
      case: `BQL typed rows: tsc on ${r.queries} queries typed from their text / the same with query<T>()`,
      figure: `${r.ratio.toFixed(2)}x (${Math.round(median(r.typedMs))} ms vs ${Math.round(median(r.annotatedMs))} ms, medians of ${r.typedMs.length} runs)`,
      goal: '< 2x',
      met: r.ratio < 2,
      details: { typedMs: r.typedMs, annotatedMs: r.annotatedMs },
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await bqlTypesRows();
  for (const row of rows)
    process.stdout.write(`${row.case}: ${row.figure} (goal ${row.goal}: ${row.met ? 'met' : 'NOT met'})\n`);
}
