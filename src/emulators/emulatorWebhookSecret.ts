import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The secret a local emulator signs its webhooks with and the app verifies them with. The configured
 * one (STRIPE_WEBHOOK_SECRET, LEMONSQUEEZY_WEBHOOK_SECRET) when set; otherwise a random one created
 * once in `file` (owner-only, mode 0600) so a restart and a shell command beside the server agree;
 * without a file (tests), a random one for this process. Never a value written in the source: anyone
 * could sign deliveries with that.
 */
export function emulatorWebhookSecret(options: { configured?: string; file?: string; prefix: string }): string {
  if (options.configured) return options.configured;
  const fresh = `${options.prefix}${randomBytes(24).toString('base64url')}`;
  if (!options.file) return fresh;
  mkdirSync(path.dirname(options.file), { recursive: true });
  // Written aside, then linked into place: the link fails if the file exists, so only the first start's
  // secret counts, and nobody ever reads a half-written file.
  const temp = `${options.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, fresh, { mode: 0o600 });
  try {
    linkSync(temp, options.file);
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(options.file, 'utf8').trim();
  } finally {
    rmSync(temp, { force: true });
  }
}
