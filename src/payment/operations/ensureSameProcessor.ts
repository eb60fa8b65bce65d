import type { Workspace } from '../../db/generated/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { PaymentProcessor } from '../paymentProcessor.js';

/** A workspace billed through one processor is not silently re-billed through another. */
export function ensureSameProcessor(workspace: Workspace, processor: PaymentProcessor): void {
  if (workspace.paymentProcessor && workspace.paymentProcessor !== processor.id) {
    throw new HttpError(409, `This workspace is billed through ${workspace.paymentProcessor}, but the app now uses ${processor.id}`);
  }
}
