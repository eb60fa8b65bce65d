import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../src/server/freePort.js';

export interface ServerProcess {
  url: string;
  output: () => string;
  /** A signal to the process group (SIGTERM, or SIGINT as Ctrl-C sends); resolves when npm and the server have exited. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Resolves with npm's exit code once it and the server have exited, however that came about. */
  exited: Promise<number | null>;
}

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * Runs `npm start` as a user would, with only the env given, and waits for it to listen. Without a PORT
 * it gets a free one: never the default 3001, which another run on the machine may hold.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(await freePort()), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // 'close' waits for the pipes, which the server (npm's grandchild) holds until it has really exited.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });

  return {
    url,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      // npm runs the server in a child: signal the whole group, as a terminal's Ctrl-C would.
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
      await exited;
    },
  };
}
