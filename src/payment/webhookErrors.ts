/** The delivery is not from the processor (bad or missing signature, stale timestamp): answer 400. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/** A processor's subscription that cannot be mapped to a snapshot: `path` is the field at fault. */
export class SubscriptionMappingError extends Error {
  override name = 'SubscriptionMappingError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** The delivery is signed but its payload is not what we expect: answer 400, nothing written. */
export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}
