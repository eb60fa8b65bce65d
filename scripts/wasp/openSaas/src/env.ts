import { defineEnvValidationSchema } from 'wasp/env';
import { z } from 'zod';
// billing plugin: its variables beside the app's own
import { coreEnvSchema } from './config/env.js';

export const serverEnvValidationSchema = defineEnvValidationSchema(coreEnvSchema.extend({ OPENAI_API_KEY: z.string().optional() }));
