/**
 * One webhook server process for the reliability suites: the real createApp with the processor of
 * chaosProcessor.ts (the fake by default; with CHAOS_KIT a processor's real driver, CHAOS_PROCESSOR its id), on
 * DATABASE_URL (shared by every process of a run), listening on a free port. Prints its URL. With
 * SMTP_PORT, it also runs the outbox dispatcher to that SMTP server on 127.0.0.1, as `npm start` does.
 * ANSWER_DELAY_MS holds every answer that long after the work is done (committed), so a kill lands there.
 * Run: DATABASE_URL=postgresql://... node --import tsx src/reliability/chaosServer.ts
 */
import type { AddressInfo } from 'node:net';
import express, { type Response } from 'express';
import { loadCoreEnv, useCoreEnv } from '../config/env.js';
import { createPrismaClient, useDb } from '../db/client.js';
import { startOutboxDispatcher } from '../email/dispatcher.js';
import { createMailTransport } from '../email/transport.js';
import { usePaymentProcessor } from '../payment/processors.js';
import { definePaymentProcessor } from '../payment/webhookHandler.js';
import { createApp } from '../server/createApp.js';
import { createChaosDriver } from './chaosProcessor.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const env = loadCoreEnv({ DATABASE_URL: url, APP_URL: 'http://localhost:3001', PAYMENTS_PROCESSOR: process.env.CHAOS_PROCESSOR ?? 'fake' });
useCoreEnv(env);
const prisma = createPrismaClient(url);
useDb(prisma);
const processor = definePaymentProcessor(await createChaosDriver(process.env));
usePaymentProcessor(processor);
const smtpPort = process.env.SMTP_PORT;
const dispatcher = smtpPort
  ? startOutboxDispatcher({ transport: createMailTransport({ host: '127.0.0.1', port: Number(smtpPort), secure: false, ignoreTLS: true }), from: 'billing@chaos.test', intervalMs: 500 })
  : undefined;
const app = createApp({ env, processor, defaults: { database: 'chaos database' }, afterWebhook: dispatcher?.kick });
const answerDelayMs = Number(process.env.ANSWER_DELAY_MS ?? 0);
const delayAnswers: express.RequestHandler = (_req, res, next) => {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    setTimeout(() => end(...args), answerDelayMs);
    return res;
  }) as Response['end'];
  next();
};
const server = (answerDelayMs > 0 ? express().use(delayAnswers, app) : app).listen(0, '127.0.0.1', () => {
  console.log(`chaos server ${process.pid} listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = () => server.close(() => void Promise.resolve(dispatcher?.stop()).then(() => prisma.$disconnect()).then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
