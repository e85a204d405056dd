// Entry point of the `ptnad-emulator` command.
import { readFileSync } from 'node:fs';
import { prepareHeapForBuild } from './build-heap.js';
import { HELP, isLoopbackHost, parseCli, UsageError } from './cli-args.js';
import { type EmulatorAddress, startEmulator } from './emulator.js';
import { DEFAULT_FLOW_COUNT } from './store/dataset.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function banner(emu: EmulatorAddress): string {
  const { users, iamClient, apiKey } = emu.credentials;
  const lines = [`PT NAD emulator listening on ${emu.url}`, 'Accepted credentials:'];
  for (const u of users) {
    const how = u.source === 'directory' ? 'IAM only, amr=ldap' : u.role === 'admin' ? 'all rights' : 'read-only';
    lines.push(`  user        ${u.username} / ${u.password} (${how})`);
  }
  lines.push(`  IAM client  ${iamClient.clientId} / ${iamClient.clientSecret} (POST ${emu.iamUrl}/connect/token)`);
  lines.push(`  API key     ${apiKey} (Authorization: Bearer)`);
  if (emu.certPath) lines.push(`TLS certificate (TEST-ONLY, trust it as CA): ${emu.certPath}`);
  if (emu.iamUrl !== emu.url) lines.push(`IAM on its own origin: ${emu.iamUrl}`);
  if (emu.iamCertPath) lines.push(`IAM TLS certificate (TEST-ONLY, trust it as the IAM's CA): ${emu.iamCertPath}`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  let command: ReturnType<typeof parseCli>;
  try {
    command = parseCli(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`ptnad-emulator: ${err.message}\nRun "ptnad-emulator --help" for the list of options.\n`);
    process.exitCode = 2;
    return;
  }
  if (command.kind === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  // The banner goes out as soon as the sockets accept connections: the default dataset is generated after it,
  // and requests that arrive meanwhile are answered once it exists (issue 13).
  const onListening = (address: EmulatorAddress) => {
    process.stdout.write(banner(address));
    if (!isLoopbackHost(address.host)) {
      process.stderr.write(
        `ptnad-emulator: WARNING: listening on ${address.host}, not loopback: the well-known credentials above (and` +
          ' the test-only TLS key) are now usable by anyone who can reach this machine over the network. Use --host' +
          ' 127.0.0.1 unless you mean it.\n',
      );
    }
  };
  let emu: Awaited<ReturnType<typeof startEmulator>>;
  // startEmulator resolves once the dataset is built.
  const built = prepareHeapForBuild(command.options.flows ?? DEFAULT_FLOW_COUNT);
  try {
    emu = await startEmulator({ ...command.options, onListening });
    built();
  } catch (err) {
    built();
    process.stderr.write(`ptnad-emulator: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => {
        process.stderr.write(`ptnad-emulator: stopped (${signal})\n`);
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`ptnad-emulator: error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

// No top-level await: the binary is bundled as CommonJS (tools/bundle.ts).
main().catch((err: unknown) => {
  process.stderr.write(`ptnad-emulator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
