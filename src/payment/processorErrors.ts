import { HttpError } from '../server/HttpError.js';
import { ProcessorError, type ProcessorErrorKind } from './paymentProcessor.js';

const STATUS: Record<ProcessorErrorKind, number> = {
  card: 402,
  invalid_request: 400,
  authentication: 502, // our key is wrong: the server's fault, not the user's
  rate_limit: 503,
  api: 502,
  connection: 503,
  unsupported: 501, // the processor cannot do this at all; the message says what it offers instead
};

/** Runs a processor call; its classified failures become operation errors with a status and a safe message. */
export async function callProcessor<T>(processorId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProcessorError) {
      throw new HttpError(STATUS[error.kind], `${processorId}: ${error.message}`, { processorError: error.kind });
    }
    throw error;
  }
}
