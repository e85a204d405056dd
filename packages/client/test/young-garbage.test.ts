/**
 * Hot paths make no object that V8 11 (Node 20) keeps alive through young-generation collections ("Hot paths" in
 * docs/ARCHITECTURE.md, issue 13's warm path). Two shapes did it on the `getStatus()` path: an object literal with
 * getters (a result's `withResponse()` facts: two closures per call) and a copy that adds a key after a spread
 * (`{ ...problem, message }`, `{ ...headers, 'content-length': n }`). In a loop of warm calls each scavenge then
 * promoted the garbage of the last few hundred calls: 1.5-3.5 ms per scavenge instead of 0.3 ms, and the warm
 * overhead went from 1.23x to 1.37x of a bare loop (`npx tsx bench/sdk-overhead.ts`).
 *
 * The heap itself is too noisy to assert on (a full collection frees unrelated things), so this checks the two
 * causes: the facts' accessors are shared functions, and the hot-path source files hold neither shape.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'ptnad-emulator';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PTNADClient } from '../src/index.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Files whose code runs once per request or per row. */
const HOT_PATHS = [
  'core/api-promise.ts',
  'internal/attempt.ts',
  'internal/body.ts',
  'internal/cookies.ts',
  'internal/node-http.ts',
  'internal/request.ts',
  'resources/bql.ts',
  'resources/monitoring.ts',
  'lib/bql-stream.ts',
  'bql/rows.ts',
];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, host: '127.0.0.1', seed: 1, flows: 200, now: '2025-06-01T00:00:00Z' });
});
afterAll(async () => {
  await emu.close();
});

describe("a result's HTTP facts", () => {
  it('are own enumerable status, headers and url, with accessors shared by every result', async () => {
    const client = new PTNADClient(emu.url, { auth: { type: 'apikey', apikey: emu.credentials.apiKey } });
    try {
      const first = (await client.monitoring.getStatus().withResponse()).response;
      const second = (await client.monitoring.getStatus().withResponse()).response;
      expect(Object.keys(first)).toEqual(['status', 'headers', 'url']);
      expect({ ...second, headers: undefined }).toEqual({
        status: 200,
        headers: undefined,
        url: `${emu.url}/api/v2/monitoring/status`,
      });
      expect(JSON.parse(JSON.stringify(first)).url).toBe(`${emu.url}/api/v2/monitoring/status`);
      for (const key of ['headers', 'url'] as const) {
        const a = Object.getOwnPropertyDescriptor(first, key);
        const b = Object.getOwnPropertyDescriptor(second, key);
        expect(a?.get, key).toBeTypeOf('function');
        expect(a?.get === b?.get, `${key}: the same getter for both results`).toBe(true);
      }
      expect(second.headers.get('content-type')).toMatch(/application\/json/);
    } finally {
      await client.close();
    }
  });
});

/** The object literals of a source text with a getter/setter, or a key after a spread not set before it. */
function youngGarbageShapes(file: string, text = readFileSync(`${SRC}${file}`, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const before = new Set<string>();
      let spread = false;
      for (const member of node.properties) {
        if (ts.isGetAccessorDeclaration(member) || ts.isSetAccessorDeclaration(member)) {
          found.push(`${where(member)}: an object literal with an accessor`);
        } else if (ts.isSpreadAssignment(member)) {
          spread = true;
        } else {
          const name = member.name && ts.isPropertyName(member.name) ? member.name.getText(source) : '';
          if (spread && !before.has(name)) found.push(`${where(member)}: "${name}" added after a spread`);
          if (!spread) before.add(name);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('hot-path source files', () => {
  it('hold no object literal with accessors and add no key after a spread', () => {
    expect(HOT_PATHS.flatMap((file) => youngGarbageShapes(file))).toEqual([]);
  });

  it('the check finds both shapes, and lets a key set before the spread be set again', () => {
    const probe = (code: string) => youngGarbageShapes('probe.ts', code);
    expect(probe('const a = { status: 1, get url() { return u; } };')).toEqual([
      'probe.ts:1: an object literal with an accessor',
    ]);
    expect(probe('const b = {\n  ...p,\n  message: m,\n};')).toEqual(['probe.ts:3: "message" added after a spread']);
    expect(probe('const c = { message: m, ...p };')).toEqual([]);
    expect(probe("const d = { 'content-length': n, ...h, 'content-length': n };")).toEqual([]);
  });
});
