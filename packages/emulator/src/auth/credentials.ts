import { randomBytes } from 'node:crypto';
import type { Account } from './accounts.js';
import { ExpiryQueue } from './expiry-queue.js';

/** How the caller of a request proved who they are. */
export type AuthMethod = 'session' | 'iam' | 'apikey' | 'basic';

/** The authenticated caller of one request. */
export interface Principal {
  username: string;
  role: Account['role'];
  via: AuthMethod;
  /** The session id or bearer token, so a forced-expiry fault can revoke exactly this credential. */
  credential: string;
}

interface Grant {
  username: string;
  role: Account['role'];
  expiresAt: number;
}

interface SessionGrant extends Grant {
  csrfToken: string;
}

/** A clock the tests can move forward instead of sleeping. */
export class Clock {
  private offsetMs = 0;

  /** Current time in epoch milliseconds (wall clock plus the advanced offset). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward (session and token expiry only; the dataset keeps its own `now`). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** Sessions (cookie login) and IAM access tokens, both with a time to live. */
export class CredentialStore {
  private readonly sessions = new Map<string, SessionGrant>();
  private readonly tokens = new Map<string, Grant>();
  /** Expiry order of every grant issued (sessions and tokens share it: their keys never collide). */
  private readonly expiries = new ExpiryQueue();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  /** Starts a session and returns its id and CSRF token (both random, 32 bytes). */
  createSession(account: Account): { sessionId: string; csrfToken: string } {
    const sessionId = randomBytes(24).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    this.dropExpired();
    const grant = { ...this.grant(account), csrfToken };
    this.sessions.set(sessionId, grant);
    this.expiries.push(grant.expiresAt, sessionId);
    return { sessionId, csrfToken };
  }

  /** The live session for this id, or null when unknown or expired (expired ones are dropped). */
  session(sessionId: string): SessionGrant | null {
    return this.live(this.sessions, sessionId);
  }

  /** Issues an IAM access token. */
  createToken(account: Account): string {
    const token = randomBytes(32).toString('base64url');
    this.dropExpired();
    const grant = this.grant(account);
    this.tokens.set(token, grant);
    this.expiries.push(grant.expiresAt, token);
    return token;
  }

  /** The live grant of an IAM token, or null. */
  token(token: string): Grant | null {
    return this.live(this.tokens, token);
  }

  /** Revokes a session or token (logout, forced-expiry fault). */
  revoke(credential: string): void {
    this.sessions.delete(credential);
    this.tokens.delete(credential);
  }

  /** Seconds a new session or token lives. */
  get ttl(): number {
    return this.ttlSeconds;
  }

  private grant(account: Account): Grant {
    return { username: account.username, role: account.role, expiresAt: this.clock.now() + this.ttlSeconds * 1000 };
  }

  /** Live sessions and tokens held (expired ones leave at the next login or token request). */
  get size(): { sessions: number; tokens: number } {
    return { sessions: this.sessions.size, tokens: this.tokens.size };
  }

  /**
   * Drops grants whose time is up, taking them from the top of the expiry heap: the cost is the number expired
   * (times log n), never the number live, so logins stay fast with many live sessions. Entries of revoked grants
   * are skipped when they surface.
   */
  private dropExpired(): void {
    for (const { expiresAt, key } of this.expiries.popExpired(this.clock.now())) {
      if (this.sessions.get(key)?.expiresAt === expiresAt) this.sessions.delete(key);
      if (this.tokens.get(key)?.expiresAt === expiresAt) this.tokens.delete(key);
    }
  }

  private live<G extends Grant>(map: Map<string, G>, key: string): G | null {
    const grant = map.get(key);
    if (!grant) return null;
    if (grant.expiresAt <= this.clock.now()) {
      map.delete(key);
      return null;
    }
    return grant;
  }
}
