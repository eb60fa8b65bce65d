import { createHmac, timingSafeEqual } from 'node:crypto';
import { SECONDS_PER_DAY } from './clock.js';
import type { EmulatorContext } from './context.js';

/** Portal URLs are valid this long on the emulator clock, as LS's are. */
export const PORTAL_URL_LIFETIME_SECONDS = SECONDS_PER_DAY;

function sign(ctx: EmulatorContext, customerId: number, expires: number): string {
  return createHmac('sha256', ctx.portalKey).update(`portal:${customerId}:${expires}`).digest('hex');
}

/** The query string that opens a customer's portal: `expires=<unix>&signature=<hmac>`, 24 h from now. */
export function portalQuery(ctx: EmulatorContext, customerId: number): string {
  const expires = ctx.clock.nowSec() + PORTAL_URL_LIFETIME_SECONDS;
  return `expires=${expires}&signature=${sign(ctx, customerId, expires)}`;
}

/** `http://127.0.0.1:<port>/portal/<customerId>?expires=<unix>&signature=<hmac>` */
export function portalUrl(ctx: EmulatorContext, customerId: number): string {
  return `${ctx.baseUrl()}/portal/${customerId}?${portalQuery(ctx, customerId)}`;
}

export type PortalCheck = 'ok' | 'bad_signature' | 'expired';

export function checkPortalSignature(ctx: EmulatorContext, customerId: number, expiresRaw: unknown, signatureRaw: unknown): PortalCheck {
  if (typeof expiresRaw !== 'string' || typeof signatureRaw !== 'string' || !/^\d{1,12}$/.test(expiresRaw)) return 'bad_signature';
  const expected = Buffer.from(sign(ctx, customerId, Number(expiresRaw)), 'hex');
  const given = /^[0-9a-f]{64}$/.test(signatureRaw) ? Buffer.from(signatureRaw, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
  return Number(expiresRaw) <= ctx.clock.nowSec() ? 'expired' : 'ok';
}
