import type { FaultStyle } from '../../../emulators/shared/faults.js';

/** Lemon Squeezy's JSON:API under /v1 and its error document for an injected fault; the meta trace is what a user must never see. */
export const lemonSqueezyFaultStyle: FaultStyle = {
  apiPath: '/v1',
  errorBody: (status) => ({
    jsonapi: { version: '1.0' },
    errors: [{ status: String(status), title: status === 429 ? 'Too Many Requests' : 'Server Error', detail: 'Please try again later.', meta: { trace: 'fault_trace' } }],
  }),
};
