import { ProcessorError, type ProcessorErrorKind } from '../paymentProcessor.js';

/** What the fake's API answers a failed call with: an HTTP status and a message safe to show. */
export class FakeApiError extends Error {
  override name = 'FakeApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** HTTP status → kind: the status decides, as with every processor. */
function kindOfStatus(status: number): ProcessorErrorKind {
  if (status === 402) return 'card';
  if (status === 401 || status === 403) return 'authentication';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'api';
  return 'invalid_request';
}

/** Runs one API call; a failure becomes a ProcessorError that says `what` failed and why. */
export async function callFakeApi<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof FakeApiError) throw new ProcessorError(kindOfStatus(error.status), `${what}: ${error.message}`);
    throw new ProcessorError('connection', `${what}: the fake processor's API did not answer`);
  }
}
