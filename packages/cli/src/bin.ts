// Entry point of the `ptnad` command (started by bin/ptnad.js).
import { main } from './main.js';

/** Exits once stdout and stderr are flushed, so that no stray handle (stdin, keep-alive) holds the process. */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  const stderrThenExit = () => process.stderr.write('', () => process.exit(code));
  // A stdout closed by the reader (`| head`) cannot be flushed; its late errors are of no interest now.
  process.stdout.on('error', () => undefined);
  if (process.stdout.destroyed || process.stdout.writableEnded) stderrThenExit();
  else process.stdout.write('', stderrThenExit);
}

main(process.argv.slice(2)).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`ptnad: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  exitAfterFlush(1);
});
