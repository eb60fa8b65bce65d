import { expect, it } from 'vitest';
import { loadCoreEnv } from '../config/env.js';
import { describeMode } from './serverEnv.js';

it('names each development default in use: by its variable, or by its words when it names none', () => {
  const processEnv = { PAYMENTS_PROCESSOR: 'fake', ADMIN_EMAILS: 'admin@example.com' };
  const mode = describeMode(loadCoreEnv(processEnv), processEnv);
  expect(mode).toMatch(/^development \(NODE_ENV is not production\); dev-only defaults in use, refused in production: /);
  const named = mode.split('refused in production: ')[1]!.split(', ');
  expect(named).toEqual(['the fake processor moves no money', 'SMTP_HOST', 'APP_URL', 'DATABASE_URL']);
});
