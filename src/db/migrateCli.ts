// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded database.
import { loadCoreEnv } from '../config/env.js';
import { loadEnvFile } from '../config/envFile.js';
import { openDatabase } from './openDatabase.js';

loadEnvFile();
const env = loadCoreEnv();
const database = await openDatabase(env.DATABASE_URL, env.DATA_DIR);
console.log(`Migrations applied to ${database.description}`);
await database.close();
