// `npm start`: the standalone server on the embedded defaults, or on whatever the env configures.
import { loadEnvFile } from '../config/envFile.js';
import { EnvError } from '../config/parseEnv.js';
import { startServer } from './startServer.js';

try {
  loadEnvFile();
  const server = await startServer();
  const defaults = Object.entries(server.defaults).map(([part, choice]) => `\n  ${part}: ${choice}`);
  console.log(`Billing server listening on ${server.url}${defaults.join('')}`);
  let stopping = false;
  const shutdown = async () => {
    // Ctrl-C reaches npm, tsx and this process alike: stop once, ignore the echoes.
    if (stopping) return;
    stopping = true;
    await server.stop();
    console.log('Billing server stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
