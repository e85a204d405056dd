// Entry point of the `ptnad-emulator` command.
const HELP = `Usage: ptnad-emulator [options]

A local PT NAD REST API v2 server for demos and tests.

Options:
  -h, --help     show this help
  --version      print the version
`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(HELP);
} else if (args.includes('--version')) {
  process.stdout.write('0.1.0\n');
} else {
  process.stderr.write('ptnad-emulator: the server is not implemented yet (see the emulator issue).\n');
  process.exitCode = 1;
}
