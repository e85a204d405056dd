// The reference for bench/cold-start.ts's one-shot SDK script: the same job (log in with a local account, one
// `GET monitoring/status`, exit) written on node:http alone, as a script with no SDK would do it. What the SDK
// script costs beyond this is the SDK's own share of a cold start. Plain JavaScript, like cold-start-sdk.mjs.
// Usage: node bench/cold-start-bare.mjs URL USER PASSWORD
import { Agent, request } from 'node:http';

const [url, username, password] = process.argv.slice(2);
const base = new URL('/api/v2/', url);
const agent = new Agent({ keepAlive: true });

/** One exchange on the kept-alive connection; resolves to the status, Set-Cookie values and body text. */
function send(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, cookies: res.headers['set-cookie'] ?? [], text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const login = await send(
  'POST',
  'auth/login',
  { 'content-type': 'application/json', accept: 'application/json' },
  JSON.stringify({ username, password }),
);
if (login.status !== 200) throw new Error(`login answered ${login.status}`);
const cookies = login.cookies.map((c) => c.split(';')[0]);
const csrf = cookies.find((c) => c.startsWith('csrftoken='))?.slice('csrftoken='.length);
const status = await send('GET', 'monitoring/status', {
  accept: 'application/json',
  cookie: cookies.join('; '),
  ...(csrf ? { 'x-csrftoken': csrf } : {}),
});
if (status.status !== 200) throw new Error(`monitoring/status answered ${status.status}`);
agent.destroy();
process.stdout.write(`${JSON.parse(status.text).status}\n`);
