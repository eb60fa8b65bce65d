// Not part of the template (README.md): the engine and operations tests import the core's test wire from
// this path. Delete it once they import src/test/eventsWire.ts (they are being reworked on main).
export { mapEventsPayload as mapFakePayload } from '../../test/eventsWire.js';
