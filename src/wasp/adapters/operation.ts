import type { AuthUser as WaspUser } from 'wasp/auth';
import { HttpError } from 'wasp/server';
import { db } from '../../db/client.js';
import { HttpError as CoreHttpError } from '../../server/HttpError.js';
import type { AuthUser, Operation } from '../../server/operationContext.js';

/**
 * Wasp's user (the User entity's fields plus its identities) as the core knows it. An app whose User has
 * an optional email (open-saas: social logins may give none) refuses billing to accounts without one:
 * the core addresses owners and finds members by email.
 */
export function coreUser(user: { id: string; email: string | null; isAdmin: boolean }): AuthUser {
  if (!user.email) throw new CoreHttpError(403, 'Billing needs an account with an email address');
  return { id: user.id, email: user.email, isAdmin: user.isAdmin };
}

/**
 * `T` written as object types instead of interfaces: the same data, but an object type can meet the
 * index signatures of Wasp's `Payload` (what superjson sends), which an interface never does. Dates and
 * functions stay as they are, so a result superjson cannot send still fails `wasp compile`.
 */
type Plain<T> = T extends Date | ((...args: never[]) => unknown)
  ? T
  : T extends readonly (infer E)[]
    ? Plain<E>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;

/**
 * A core operation as a Wasp query or action. The core reads and writes through our own Prisma 7
 * client (db(), opened by setupBilling), not through Wasp's Prisma 5 `context.entities`: the entities
 * main.wasp.ts declares still tell Wasp which queries an action invalidates. The core's HttpError
 * becomes Wasp's, which Wasp answers with its status, message and data.
 */
export function waspOperation<Args, Result>(operation: Operation<Args, Result>) {
  return async (args: Args, context: { user?: WaspUser }): Promise<Plain<Result>> => {
    try {
      return (await operation(args, { user: context.user && coreUser(context.user), entities: db() })) as Plain<Result>;
    } catch (error) {
      if (error instanceof CoreHttpError) throw new HttpError(error.statusCode, error.message, error.data);
      throw error;
    }
  };
}
