import { timingSafeEqual } from 'node:crypto';

/** Where an account lives: `local` accounts use `auth/login`, `directory` accounts only IAM with `amr=ldap`. */
export type AccountSource = 'local' | 'directory';

/** One user the emulator accepts. */
export interface Account {
  username: string;
  password: string;
  /** `admin` may change everything; `readonly` gets 403 on every write. */
  role: 'admin' | 'readonly';
  source: AccountSource;
}

/** The IAM (OAuth2) client that `POST /connect/token` accepts. */
export interface IamClient {
  clientId: string;
  clientSecret: string;
}

/** The default accounts, printed at start-up and documented in the README. */
export const DEFAULT_ACCOUNTS: readonly Account[] = [
  { username: 'administrator', password: 'Administr@t0r', role: 'admin', source: 'local' },
  { username: 'analyst', password: 'Analyst@123', role: 'readonly', source: 'local' },
  { username: 'ldap.user', password: 'Ld@pUser1', role: 'admin', source: 'directory' },
];

/** The default IAM client (`iam.id` / `iam.secret` on a real appliance). */
export const DEFAULT_IAM_CLIENT: IamClient = { clientId: 'ptnad', clientSecret: 'ptnad-emulator-iam-secret' };

/** The default API key accepted as `Authorization: Bearer`. */
export const DEFAULT_API_KEY = 'ptnad-emulator-api-key';

/** Compares secrets in constant time so the emulator does not teach clients bad habits. */
export function sameSecret(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Finds the account with this username and password, or null. */
export function checkPassword(accounts: readonly Account[], username: string, password: string): Account | null {
  const account = accounts.find((a) => a.username === username);
  if (!account) return null;
  return sameSecret(account.password, password) ? account : null;
}
