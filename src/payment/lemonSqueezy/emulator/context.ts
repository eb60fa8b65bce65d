import type { EmulatorClock } from '../../../emulators/shared/clock.js';
import type { EventLog } from './events.js';
import type { Store } from './store.js';

/** What every route, page and billing step works with. */
export interface EmulatorContext {
  readonly store: Store;
  readonly clock: EmulatorClock;
  readonly events: EventLog;
  /** Signs customer portal URLs. */
  readonly portalKey: Buffer;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl(): string;
}
