import { db } from '../db/client.js';

/**
 * A database outage for one table, as tests need one: until the returned function is called, every
 * insert into Payment fails, so a delivery that records money rolls back and is kept as failed.
 */
export async function paymentsDown(): Promise<() => Promise<void>> {
  await db().$executeRawUnsafe(`CREATE FUNCTION payments_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'payments down'; END $$ LANGUAGE plpgsql`);
  await db().$executeRawUnsafe(`CREATE TRIGGER payments_down BEFORE INSERT ON "Payment" FOR EACH ROW EXECUTE FUNCTION payments_down()`);
  return async () => {
    await db().$executeRawUnsafe(`DROP TRIGGER payments_down ON "Payment"; DROP FUNCTION payments_down()`);
  };
}
