// What ran the benchmark: hardware, runtimes, the commit.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  commit: string;
  date: string;
  loadAverage: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: path.resolve(import.meta.dirname, '..'), encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(postgresVersion: string): MachineInfo {
  const commit = git(['rev-parse', 'HEAD']) || 'unknown (not a git checkout)';
  const dirty = git(['status', '--porcelain']) !== '';
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: postgresVersion.split(' on ')[0] ?? postgresVersion,
    commit: dirty ? `${commit} (with uncommitted changes)` : commit,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((n) => n.toFixed(2)).join(' / '),
  };
}
