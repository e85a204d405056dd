// Entry point of the `ptnad` command (started by bin/ptnad.js).
import { main } from './main.js';

/** Exits once stdout and stderr are flushed, so that no stray handle (stdin, keep-alive) holds the process. */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`ptnad: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  exitAfterFlush(1);
});
