// The one-shot SDK script timed by bench/cold-start.ts: import, log in, one status call, exit. Plain JavaScript
// so that no TypeScript loader is part of what is measured. Usage: node bench/cold-start-sdk.mjs URL USER PASSWORD
import { PTNADClient } from 'ptnad-client';

const [url, username, password] = process.argv.slice(2);
const client = new PTNADClient(url, { auth: { type: 'local', username, password } });
const status = await client.monitoring.getStatus();
await client.close();
process.stdout.write(`${status.status}\n`);
