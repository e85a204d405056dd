#!/usr/bin/env node
// Thin launcher of the `ptnad` command (issue 13: most runs are short processes, so start-up is most of their cost).
// - It is CommonJS (bin/package.json says so): Node 20 sets up its asynchronous ES module loader only for an ES
//   module entry, which costs about a tenth of a bare `node` start.
// - `ptnad --help` and `ptnad --version` with stdout not a terminal (scripts, pipes, CI) print a text written at
//   build time (dist/bundle/help.txt, the bundle's own `--help` output, which commander wraps at 80 columns when
//   stdout is not a terminal) and package.json's version, without loading the CLI. On a terminal, commander wraps
//   at its width: the CLI runs.
// - Everything else runs dist/bundle/ptnad.cjs, the CLI bundled into one CommonJS file (see tools/bundle.ts), or,
//   when the bundling step has not run, dist/bin.js, the ES modules tsc writes. Both are built by `npm ci` via the
//   root prepare script.
'use strict';
const { existsSync, fstatSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const args = process.argv.slice(2);

/**
 * True when stdout may be a terminal. fstat rather than require('node:tty'), which loads the net and stream modules
 * (a few ms); any character device counts (also /dev/null: it then takes the CLI's path, with the same output).
 */
function stdoutMayBeTerminal() {
  try {
    return fstatSync(1).isCharacterDevice();
  } catch {
    return true;
  }
}

/** The text the fast path prints for `args`, or undefined when the CLI must run. */
function fastOutput() {
  if (args.length !== 1 || stdoutMayBeTerminal()) return undefined;
  try {
    if (args[0] === '--help' || args[0] === '-h') return readFileSync(join(dist, 'bundle', 'help.txt'), 'utf8');
    if (args[0] === '--version') {
      const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
      return typeof version === 'string' ? `${version}\n` : undefined;
    }
  } catch {
    // Not built yet, or unreadable: the CLI itself answers.
  }
  return undefined;
}

/**
 * Writes `text` to fd 1 directly: process.stdout would first set up a stream over the pipe (the net and stream
 * modules). A pipe that would block hands the rest to process.stdout; a closed one (`ptnad --help | head -1`) ends
 * the output quietly, as the CLI does.
 */
function writeStdout(text) {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  try {
    while (at < bytes.length) at += writeSync(1, bytes, at);
  } catch (err) {
    if (err && err.code === 'EAGAIN') process.stdout.write(bytes.subarray(at));
  }
}

const fast = fastOutput();
if (fast !== undefined) {
  writeStdout(fast);
} else {
  const bundled = join(dist, 'bundle', 'ptnad.cjs');
  if (existsSync(bundled)) {
    // With the code cache the build wrote next to it (see load.cjs).
    require(join(dist, 'bundle', 'load.cjs')).loadBundle(bundled);
  } else if (existsSync(join(dist, 'bin.js'))) {
    import(require('node:url').pathToFileURL(join(dist, 'bin.js')).href);
  } else {
    process.stderr.write('ptnad: not built yet: run `npm run build` in the repository root first.\n');
    process.exitCode = 2;
  }
}
