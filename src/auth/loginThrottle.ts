import { createHash } from 'node:crypto';
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import { recordAudit } from '../audit/recordAudit.js';
import { db, type Db } from '../db/client.js';

/**
 * Login throttling against password guessing: every attempt costs a point per account and per client
 * address, kept in PostgreSQL (rate-limiter-flexible's Prisma store, table LoginThrottle), so several
 * server processes share one count. An attempt past the limit is refused with 429 and Retry-After
 * before the password is checked, so the right password is refused too until the window ends.
 * A successful login clears its account's count and gives its address its point back.
 */
export const LOGIN_LIMITS = {
  // Ten guesses per account per 15 minutes: a person who mistypes gets far, a guessing script does not.
  account: { points: 10, duration: 15 * 60 },
  // One address guessing across many accounts (credential stuffing); generous for a shared office NAT.
  address: { points: 50, duration: 15 * 60 },
} as const;

type Scope = keyof typeof LOGIN_LIMITS;

/** Refused: which limit, and the seconds until the window ends (for Retry-After). */
export interface LoginThrottled {
  scope: Scope;
  retryAfterSeconds: number;
}

// One pair of limiters per database client (the server's, or each test file's).
const limitersByClient = new WeakMap<Db, Record<Scope, RateLimiterPrisma>>();

function limiters(): Record<Scope, RateLimiterPrisma> {
  const client = db();
  let found = limitersByClient.get(client);
  if (!found) {
    const create = (scope: Scope) =>
      new RateLimiterPrisma({ storeClient: client, tableName: 'loginThrottle', keyPrefix: `login_${scope}`, ...LOGIN_LIMITS[scope] });
    found = { account: create('account'), address: create('address') };
    limitersByClient.set(client, found);
  }
  return found;
}

// The table holds no email addresses: an account's key is a hash of its (normalized) email.
const accountKey = (email: string) => createHash('sha256').update(email).digest('hex');

/**
 * Counts one login attempt for `email` from `address`. Returns undefined when it may proceed, or why
 * not. The first refusal of a window is audited (`auth.login_throttled`), later ones are not, so a
 * script cannot fill the audit log.
 */
export async function countLoginAttempt(email: string, address: string): Promise<LoginThrottled | undefined> {
  const { account, address: byAddress } = limiters();
  const [accountRefusal, addressRefusal] = await Promise.all([refusalOf(account, accountKey(email)), refusalOf(byAddress, address)]);
  const scope: Scope | undefined = accountRefusal ? 'account' : addressRefusal ? 'address' : undefined;
  const refusal = accountRefusal ?? addressRefusal;
  if (!scope || !refusal) return undefined;
  const throttled = { scope, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
  if (refusal.consumedPoints === LOGIN_LIMITS[scope].points + 1) {
    await recordAudit(db(), {
      workspaceId: null,
      actor: { type: 'system' },
      action: 'auth.login_throttled',
      target: scope === 'account' ? email : address,
      metadata: { ...throttled, limit: LOGIN_LIMITS[scope] },
    });
  }
  return throttled;
}

/** After a successful login: the account starts afresh, and the address gets this attempt back. */
export async function countLoginSuccess(email: string, address: string): Promise<void> {
  const { account, address: byAddress } = limiters();
  await Promise.all([account.delete(accountKey(email)), byAddress.reward(address)]);
}

/** Takes a point; the refusal when over the limit (rate-limiter-flexible rejects with a RateLimiterRes then, with an Error when the store fails). */
async function refusalOf(limiter: RateLimiterPrisma, key: string): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error;
    throw error;
  }
}
