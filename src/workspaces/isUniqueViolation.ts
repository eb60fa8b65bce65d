import { Prisma } from '../db/generated/client.js';

/** A unique constraint refused the write (Prisma P2002): a concurrent or repeated create, answered with 409. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
