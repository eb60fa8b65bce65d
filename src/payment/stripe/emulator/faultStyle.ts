import type { FaultStyle } from '../../../emulators/shared/faults.js';

/** Stripe's API under /v1 and its error body for an injected fault; the request log url is the trace a user must never see. */
export const stripeFaultStyle: FaultStyle = {
  apiPath: '/v1',
  errorBody: (status) => ({
    error: {
      ...(status === 429
        ? { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' }
        : { type: 'api_error', message: 'An unknown error occurred' }),
      request_log_url: 'https://dashboard.stripe.com/test/logs/req_fault_trace',
    },
  }),
};
