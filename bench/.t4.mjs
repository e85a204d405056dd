const { PTNADClient } = await import('ptnad-client');
const base = new Set(process.moduleLoadList);
const [url, username, password] = process.argv.slice(2);
const client = new PTNADClient(url, { auth: { type: 'local', username, password } });
const t0 = performance.now();
await client.monitoring.getStatus();
const t1 = performance.now();
await client.close();
console.log((t1 - t0).toFixed(1), process.moduleLoadList.filter((x) => !base.has(x)).join(' '));
