/**
 * A cookie jar for the one PT NAD host a client talks to. A full RFC 6265 jar (domains, public suffixes) is
 * not needed: every request goes to the same origin. What matters is honouring deletion (Max-Age=0 or an
 * Expires in the past), expiry, and the Path attribute (the session cookies live on `/`).
 */

interface StoredCookie {
  value: string;
  path: string;
  /** Epoch ms; undefined = session cookie. */
  expiresAt: number | undefined;
}

/** Browsers keep about 50 cookies per domain; a server that sets more (a new name each time) is not followed. */
const MAX_COOKIES = 50;

/** Cookies of one origin, filled from `Set-Cookie` headers and rendered as a `Cookie` header. */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  /** Applies every `Set-Cookie` header of a response; returns the names that were set or changed. */
  update(setCookieHeaders: readonly string[], now = Date.now()): string[] {
    const changed: string[] = [];
    for (const header of setCookieHeaders) {
      const parsed = parseSetCookie(header, now);
      if (!parsed) continue;
      if (parsed.expiresAt !== undefined && parsed.expiresAt <= now) {
        this.#cookies.delete(parsed.name);
      } else {
        // A full jar takes no new names (the session cookies come first, at login); known names still update.
        if (!this.#cookies.has(parsed.name) && this.#cookies.size >= MAX_COOKIES) continue;
        this.#cookies.set(parsed.name, { value: parsed.value, path: parsed.path, expiresAt: parsed.expiresAt });
      }
      changed.push(parsed.name);
    }
    return changed;
  }

  /** The live value of a cookie, if the jar holds one. */
  get(name: string, now = Date.now()): string | undefined {
    const cookie = this.#cookies.get(name);
    if (!cookie) return undefined;
    if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) {
      this.#cookies.delete(name);
      return undefined;
    }
    return cookie.value;
  }

  /** The `Cookie` header for a request path, or undefined when no cookie applies. */
  header(requestPath: string, now = Date.now()): string | undefined {
    const parts: string[] = [];
    for (const [name, cookie] of this.#cookies) {
      if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) continue;
      if (!pathMatches(requestPath, cookie.path)) continue;
      parts.push(`${name}=${cookie.value}`);
    }
    return parts.length > 0 ? parts.join('; ') : undefined;
  }

  /** All values held, for the redactor. */
  values(): string[] {
    return [...this.#cookies.values()].map((c) => c.value);
  }

  clear(): void {
    this.#cookies.clear();
  }
}

function parseSetCookie(
  header: string,
  now: number,
): { name: string; value: string; path: string; expiresAt: number | undefined } | undefined {
  const [pair, ...attributes] = header.split(';');
  if (pair === undefined) return undefined;
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  let value = pair.slice(eq + 1).trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
  let path = '/';
  let expiresAt: number | undefined;
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const i = attribute.indexOf('=');
    const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
    const val = i < 0 ? '' : attribute.slice(i + 1).trim();
    if (key === 'path' && val.startsWith('/')) path = val;
    else if (key === 'max-age' && /^-?\d+$/.test(val)) {
      // Max-Age wins over Expires (RFC 6265 5.3 step 3).
      maxAgeSeen = true;
      const seconds = Number(val);
      expiresAt = seconds <= 0 ? now - 1 : now + seconds * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const at = Date.parse(val);
      if (!Number.isNaN(at)) expiresAt = at;
    }
  }
  return { name, value, path, expiresAt };
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (cookiePath === '/' || requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
