import type { Db } from '../db/client.js';

/** The signed-in user as operations see it (Wasp's `context.user`). */
export interface AuthUser {
  id: string;
  email: string;
  isAdmin: boolean;
}

/** Wasp-style operation context: the user (if any) and the entities the operation declares. */
export interface OperationContext {
  user?: AuthUser;
  entities: Pick<Db, 'user' | 'workspace' | 'membership' | 'payment' | 'creditLedger' | 'auditEvent' | 'emailOutbox' | 'webhookDelivery'>;
}

export type Operation<Args, Result> = (args: Args, context: OperationContext) => Promise<Result>;
