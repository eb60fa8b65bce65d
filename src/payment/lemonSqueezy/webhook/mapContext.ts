import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import type { OurCustomData } from '../customData.js';

/** What every mapper gets: the event's facts from the envelope, and our plan ids. */
export interface MapContext {
  eventName: string;
  /** data.id: the order, subscription or subscription invoice the event is about. */
  objectId: string;
  /** data.attributes, to parse with the object's schema. */
  attributes: Record<string, unknown>;
  /** Our ids from meta.custom_data (empty for a checkout this app did not create). */
  custom: OurCustomData;
  planIds: ProcessorPlanIds;
}
