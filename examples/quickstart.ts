// The main job (`npm start`). Placeholder until the SDK and the emulator exist: it says so and fails.
process.stderr.write('npm start: not available yet: the emulator and the SDK (PTNADClient) are not built yet.\n');
process.exitCode = 1;
