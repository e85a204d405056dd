/**
 * Redaction of secrets before anything is logged or put into an error.
 *
 * Two layers, because neither alone is enough: (1) structural rules that know which header names, JSON keys,
 * query parameters and cookie names hold secrets, and (2) a registry of the concrete secret values this client
 * knows (password, client secret, tokens, API key, cookie and CSRF values), searched for in any free text, in
 * the encodings they travel in (raw, percent-encoded, form-encoded, JSON-escaped). The second layer catches a
 * server that echoes a secret back in an error body, or an undici message that quotes a header.
 */

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-csrftoken']);
/** JSON keys and query/form parameter names whose values are secret wherever they appear. */
const SECRET_KEY = /pass(word|wd)?$|secret|token|api_?key|session_?id|csrf|authorization|^cookie$|^set-cookie$/i;
/** Free-text shapes that carry secrets even when we do not know the value (server echoes, third-party text). */
const TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/=%]+/gi, `$1 ${REDACTED}`],
  [/\b(sessionid|csrftoken|csrfmiddlewaretoken)=[^;,\s&"']+/gi, `$1=${REDACTED}`],
  [/\b(password|client_secret|access_token|refresh_token|id_token|apikey|api_key)=[^&\s"']+/gi, `$1=${REDACTED}`],
  [
    /("(?:password|client_secret|access_token|refresh_token|id_token|apikey|api_key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${REDACTED}"`,
  ],
];

/** Secrets shorter than this are not searched in free text: replacing "ab" everywhere would shred messages. */
const MIN_TEXT_SECRET = 4;

/**
 * The most secret values held at once. A client knows a handful (password or API key, client secret, token,
 * session and CSRF cookies); the cap only matters against a server that sets cookies without end.
 */
const MAX_SECRETS = 64;

/**
 * Holds the secret values one client knows and scrubs them out of strings, headers, URLs and objects.
 *
 * Only live secrets are held: the auth layer hands over the complete current set after every answer
 * ({@link Redactor.setLive}), and values that left it (a load balancer cookie rotated on every response, an
 * expired token) are dropped. Updating costs the same whatever the history: values already held keep their
 * encoded forms, and only a changed set is re-sorted.
 */
export class Redactor {
  /** Live raw value -> the encoded forms it travels in. */
  #live = new Map<string, string[]>();
  /** Every form of every live value, longest first, so a secret that contains another is replaced whole. */
  #sorted: string[] = [];

  /** How many encoded forms are searched for in free text (bounded; for tests and diagnostics). */
  get size(): number {
    return this.#sorted.length;
  }

  /**
   * Replaces the set of live secrets with `values` (empty and very short values are skipped; at most
   * MAX_SECRETS are kept, the first ones given win). Does nothing when the set did not change.
   */
  setLive(values: ReadonlyArray<string | undefined | null>): void {
    if (this.#same(values)) return;
    const next = new Map<string, string[]>();
    let changed = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_TEXT_SECRET || next.has(value)) continue;
      if (next.size >= MAX_SECRETS) break;
      const known = this.#live.get(value);
      if (!known) changed = true;
      next.set(value, known ?? encodedForms(value).filter((form) => form.length >= MIN_TEXT_SECRET));
    }
    if (!changed && next.size === this.#live.size) return;
    this.#live = next;
    this.#sorted = [...new Set([...next.values()].flat())].sort((a, b) => b.length - a.length);
  }

  /** True when `values` holds exactly the live set, in the order given last time (no allocation: hot path). */
  #same(values: ReadonlyArray<string | undefined | null>): boolean {
    let i = 0;
    const keys = this.#live.keys();
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_TEXT_SECRET) continue;
      const next = keys.next();
      if (next.done || next.value !== value) return false;
      i++;
    }
    return i === this.#live.size;
  }

  /** Adds secret values to the live set (they stay until a {@link Redactor.setLive} leaves them out). */
  add(...values: Array<string | undefined | null>): void {
    this.setLive([...values, ...this.#live.keys()]);
  }

  /** Scrubs known secret values and secret-shaped fragments out of a text. */
  text(input: string): string {
    let out = input;
    for (const secret of this.#sorted) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** Redacts a URL: drops userinfo, hides secret query parameters, then scrubs the text. */
  url(input: string): string {
    try {
      const url = new URL(input);
      if (url.username || url.password) {
        url.username = '';
        url.password = '';
      }
      for (const key of [...url.searchParams.keys()]) {
        if (SECRET_KEY.test(key)) url.searchParams.set(key, REDACTED);
      }
      return this.text(url.toString());
    } catch {
      return this.text(input);
    }
  }

  /** Redacts a header map (secret header names lose their values; other values are scrubbed). */
  headers(input: Iterable<[string, string]> | Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = Symbol.iterator in input ? input : Object.entries(input);
    for (const [name, value] of entries) {
      const key = name.toLowerCase();
      out[key] = SECRET_HEADERS.has(key) ? REDACTED : this.text(value);
    }
    return out;
  }

  /** Deep-redacts any JSON-like value: secret keys lose their values, every string is scrubbed. */
  value(input: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
    if (typeof input === 'string') return this.text(input);
    if (input === null || typeof input !== 'object') return input;
    if (depth > 20 || seen.has(input)) return REDACTED;
    seen.add(input);
    if (Array.isArray(input)) return input.map((item) => this.value(item, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(input)) {
      out[key] =
        SECRET_KEY.test(key) && val !== null && val !== undefined ? REDACTED : this.value(val, depth + 1, seen);
    }
    return out;
  }

  /**
   * Turns any thrown value into a plain Error that is safe to keep as `cause`: message scrubbed, the stable
   * `code` kept, its own `cause` chain rebuilt the same way. The original object (undici internals, sockets,
   * request options with headers) is never kept.
   */
  error(input: unknown, depth = 0): Error {
    if (!(input instanceof Error)) return new Error(this.text(String(input)));
    const causeIn = (input as { cause?: unknown }).cause;
    const cause = causeIn !== undefined && depth < 5 ? this.error(causeIn, depth + 1) : undefined;
    const out = new Error(this.text(input.message), cause === undefined ? undefined : { cause });
    out.name = input.name;
    const code = (input as { code?: unknown }).code;
    if (typeof code === 'string') (out as Error & { code?: string }).code = code;
    out.stack = `${out.name}: ${out.message}`;
    return out;
  }
}

function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  forms.add(encodeURIComponent(value));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  try {
    forms.add(encodeURI(value));
  } catch {
    // lone surrogates cannot be URI-encoded; the raw form is still registered
  }
  return [...forms];
}
