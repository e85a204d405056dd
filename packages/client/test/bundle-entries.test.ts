/**
 * The built package's entries (tools/bundle.ts, issue 13): the SDK is one CommonJS file (dist/bundle/sdk.cjs) that
 * the ES module entries (`ptnad-client`, `ptnad-client/bql`) and the CommonJS ones the CLI requires
 * (dist/bundle/index.cjs, bql/index.cjs) all re-export. So a class is one object whichever way it was loaded (an
 * `instanceof` across entries holds), and each entry exports exactly what its source entry does.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as bqlSource from '../src/bql/index.js';
import * as indexSource from '../src/index.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));

// Run by plain Node (not the test runner's resolver), from inside the package: the package's own name resolves
// through its `exports`, as it does for a user.
const PROGRAM = `
import { createRequire } from 'node:module';
const esm = await import('ptnad-client');
const esmBql = await import('ptnad-client/bql');
const require = createRequire(import.meta.url);
const cjs = require('./dist/bundle/index.cjs');
const cjsBql = require('./dist/bundle/bql/index.cjs');
const same = (a, b) => Object.keys(a).every((k) => !(k in b) || a[k] === b[k]);
process.stdout.write(JSON.stringify({
  esm: Object.keys(esm).sort(),
  esmBql: Object.keys(esmBql).sort(),
  cjs: Object.keys(cjs).sort(),
  cjsBql: Object.keys(cjsBql).sort(),
  identical: same(esm, cjs) && same(esmBql, cjsBql) && same(esm, esmBql) && same(cjs, cjsBql),
  errorAcrossEntries: new esmBql.BqlSyntaxError('x', { line: 1, column: 1, offset: 0 }) instanceof cjs.PTNADError,
}));
`;

describe('built entries', () => {
  it('export what the sources export, and share one copy of every class', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', PROGRAM], { cwd: PKG, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    const runtimeNames = (m: object) => Object.keys(m).sort();
    expect(out.esm).toEqual(runtimeNames(indexSource));
    expect(out.cjs).toEqual(runtimeNames(indexSource));
    expect(out.esmBql).toEqual(runtimeNames(bqlSource));
    expect(out.cjsBql).toEqual(runtimeNames(bqlSource));
    expect(out.identical).toBe(true);
    expect(out.errorAcrossEntries).toBe(true);
  });
});
