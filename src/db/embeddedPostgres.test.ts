import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embeddedPostgres.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function fsyncOf(options: { durable?: boolean }): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'billing-embedded-pg-'));
  dirs.push(dir);
  chmodSync(dir, 0o755); // run as root, PostgreSQL runs as its own user
  const server = await startEmbeddedPostgres(path.join(dir, 'data'), { persistent: false, ...options });
  const client = new pg.Client({ connectionString: server.url('postgres') });
  try {
    await client.connect();
    return (await client.query<{ fsync: string }>('SHOW fsync')).rows[0]!.fsync;
  } finally {
    await client.end();
    await server.stop();
  }
}

// npm start's database holds payments already acknowledged to the processor: a crash must not lose them.
describe('the embedded PostgreSQL', () => {
  it('keeps fsync on unless a throwaway database asks for durable: false', async () => {
    expect(await fsyncOf({})).toBe('on');
    expect(await fsyncOf({ durable: false })).toBe('off');
  });
});
