/** The delivery is not from the processor (bad or missing signature, stale timestamp): answer 400. */
export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

/** The delivery is signed but its payload is not what we expect: answer 400, nothing written. */
export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}
