import { VERSION } from 'ptnad-client';

const HELP = `Usage: ptnad [options] <command>

The PT NAD command line.

Options:
  -h, --help     show this help
  --version      print the version
`;

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return argv.length === 0 ? 2 : 0;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  process.stderr.write(`ptnad: unknown command: ${argv[0]}\n`);
  return 2;
}
