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
    // Ctrl-C reaches npm and this process alike (npm forwards it too): stop once, ignore the echo.
    // npm start runs node with tsx as a loader, not the tsx CLI, whose own relay could force-kill us.
    if (stopping) return;
    stopping = true;
    try {
      await server.stop();
      console.log('Billing server stopped cleanly');
      process.exit(0);
    } catch (error) {
      console.error('Billing server did not stop cleanly:', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  // Exit rather than restart it: something outside killed it (OOM killer, a full disk, an operator), and a
  // supervisor or the next `npm start` restarts both with a clean slate; meanwhile requests answer 503.
  void server.databaseLost.then(async (reason) => {
    if (stopping) return;
    console.error(`Billing server exiting: ${reason}. Start it again with npm start.`);
    stopping = true;
    await server.stop().catch(() => {});
    process.exit(1);
  });
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
