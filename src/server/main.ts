// `npm start`: the standalone server on the embedded defaults, or on whatever the env configures.
import { EnvError } from '../config/parseEnv.js';
import { startServer } from './startServer.js';

try {
  const server = await startServer();
  console.log(`Billing server listening on ${server.url}`);
  for (const [part, choice] of Object.entries(server.defaults)) console.log(`  ${part}: ${choice}`);
  const shutdown = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
