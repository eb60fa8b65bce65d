/**
 * One webhook server process for the chaos suite: the real createApp with the fake processor, on
 * DATABASE_URL (shared by every process of a run), listening on a free port. Prints its URL.
 * Run: DATABASE_URL=postgresql://... node --import tsx src/reliability/chaosServer.ts
 */
import type { AddressInfo } from 'node:net';
import { loadCoreEnv, useCoreEnv } from '../config/env.js';
import { createPrismaClient, useDb } from '../db/client.js';
import { createFakeProcessor } from '../payment/fake/fakeProcessor.js';
import { usePaymentProcessor } from '../payment/processors.js';
import { definePaymentProcessor } from '../payment/webhookHandler.js';
import { createApp } from '../server/createApp.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const env = loadCoreEnv({ DATABASE_URL: url, APP_URL: 'http://localhost:3001', PAYMENTS_PROCESSOR: 'fake' });
useCoreEnv(env);
const prisma = createPrismaClient(url);
useDb(prisma);
const processor = definePaymentProcessor(createFakeProcessor(process.env));
usePaymentProcessor(processor);
const app = createApp({ env, processor, defaults: { database: 'chaos database' } });
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`chaos server ${process.pid} listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = () => server.close(() => void prisma.$disconnect().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
