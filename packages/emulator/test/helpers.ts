// Shared helpers of the emulator's contract tests: plain fetch, a tiny cookie jar, no SDK.
import { type Emulator, type EmulatorOptions, startEmulator } from 'ptnad-emulator';

/** The fixed "now" every contract test uses, so datasets are identical between runs. */
export const NOW = '2025-06-01T12:00:00Z';

/** Starts an emulator with a small deterministic dataset (one per test file). */
export function startSmall(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ seed: 1, flows: 3000, now: NOW, port: 0, ...options });
}

/** JSON of a response, or the text when it is not JSON (to show in failed assertions). */
export async function body(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A logged-in browser-like client: keeps cookies, sends X-CSRFToken (and Referer over TLS) on unsafe requests. */
export class SessionClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    private readonly extra: RequestInit = {},
  ) {}

  /** Logs in with the local account; throws with the status when it fails. */
  static async login(
    base: string,
    username: string,
    password: string,
    extra: RequestInit = {},
  ): Promise<SessionClient> {
    const client = new SessionClient(base, extra);
    const res = await client.request('POST', '/api/v2/auth/login', { json: { username, password }, csrf: false });
    if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return client;
  }

  /** Sends a request with the session cookies; `csrf: false` leaves out the CSRF token. */
  async request(
    method: string,
    path: string,
    opts: { json?: unknown; text?: string; csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('csrftoken');
    if (method !== 'GET' && opts.csrf !== false && csrf) {
      headers['X-CSRFToken'] = csrf;
      headers.Referer = `${this.base}/api/v2/`;
    }
    let payload: string | undefined;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(opts.json);
    } else if (opts.text !== undefined) {
      headers['Content-Type'] = 'text/plain';
      payload = opts.text;
    }
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const res = await fetch(url, { ...this.extra, method, headers, body: payload });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq);
      const value = (pair ?? '').slice(eq + 1);
      if (/Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Sends a request and parses the JSON reply. */
  async json(
    method: string,
    path: string,
    opts: Parameters<SessionClient['request']>[2] = {},
  ): Promise<{ status: number; body: unknown }> {
    const res = await this.request(method, path, opts);
    return { status: res.status, body: await body(res) };
  }
}

/** A client that authenticates with `Authorization: Bearer`. */
export function bearer(base: string, token: string) {
  return async (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { Authorization: `Bearer ${token}`, ...headers };
    if (json !== undefined) h['Content-Type'] = 'application/json';
    const url = path.startsWith('http') ? path : `${base}${path}`;
    const res = await fetch(url, { method, headers: h, body: json === undefined ? undefined : JSON.stringify(json) });
    return { status: res.status, body: await body(res), headers: res.headers };
  };
}

/** Replaces `:params` of a route pattern with harmless sample values. */
export function samplePath(pattern: string): string {
  return pattern.replace(/:([a-zA-Z]+)/g, (_m, name: string) =>
    name === 'file' ? 'x.zip' : name === 'key' ? 'k' : '1',
  );
}

/** Walks DRF `next` links from `first` and returns every result in order. */
export async function walk<T>(
  first: string,
  get: (url: string) => Promise<{ status: number; body: unknown }>,
): Promise<T[]> {
  const out: T[] = [];
  let url: string | null = first;
  let guard = 0;
  while (url) {
    const { status, body: page } = await get(url);
    if (status !== 200) throw new Error(`GET ${url}: ${status} ${JSON.stringify(page)}`);
    const p = page as { next: string | null; results: T[] };
    out.push(...p.results);
    url = p.next;
    if (++guard > 10_000) throw new Error('pagination does not end');
  }
  return out;
}
