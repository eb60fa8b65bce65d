import { HttpError } from '../server/HttpError.js';
import { isStorableDate, unstorableStringProblem } from '../server/storableInput.js';

/** Keyset position: the last event of a page, by (createdAt, id), newest first. Opaque to clients. */
export interface AuditCursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(value: string): AuditCursor {
  const [time, id] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  // A hand-made cursor must not reach PostgreSQL with a date or an id it cannot hold.
  if (!id || !isStorableDate(createdAt) || unstorableStringProblem(id)) throw new HttpError(400, 'Invalid arguments: cursor: not a cursor from a previous page');
  return { createdAt, id };
}
