import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StateWriter, writeAtomically } from './stateFile.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'emulator-state-file-'));
  return () => rmSync(folder, { recursive: true, force: true });
});

/** A writer of `{ n }` that counts how often it was asked for the state. */
function counting(file: string, delayMs?: number) {
  const state = { n: 0, serialized: 0 };
  const writer = new StateWriter(
    file,
    () => {
      state.serialized += 1;
      return JSON.stringify({ n: state.n });
    },
    delayMs,
  );
  return { state, writer, saved: () => (JSON.parse(readFileSync(file, 'utf8')) as { n: number }).n };
}

describe('writeAtomically', () => {
  it('replaces the file through a temporary file in the same folder, readable by the owner only', async () => {
    const file = path.join(folder, 'state.json');
    writeFileSync(file, 'old');
    await writeAtomically(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(folder)).toEqual(['state.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('removes its temporary file when the rename fails', async () => {
    const file = path.join(folder, 'state.json');
    mkdirSync(path.join(file, 'inside'), { recursive: true });
    await expect(writeAtomically(file, 'data')).rejects.toThrow();
    expect(readdirSync(folder)).toEqual(['state.json']);
  });
});

describe('StateWriter', () => {
  it('creates the folder, and saves changes made close together in one write', async () => {
    const file = path.join(folder, 'nested', 'state.json');
    const { state, writer, saved } = counting(file, 20);
    for (let i = 1; i <= 5; i++) {
      state.n = i;
      writer.schedule();
    }
    await vi.waitFor(() => expect(saved()).toBe(5));
    expect(state.serialized).toBe(1);
    await writer.close();
  });

  it('close() writes what is pending at once and stops saving', async () => {
    const file = path.join(folder, 'state.json');
    const { state, writer, saved } = counting(file, 60_000);
    state.n = 7;
    writer.schedule();
    await writer.close();
    expect(saved()).toBe(7);
    state.n = 8;
    writer.schedule();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(saved()).toBe(7);
  });

  it('logs a failed save once, tries again on the next change, and close() rejects naming the file while it fails', async () => {
    const file = path.join(folder, 'state.json');
    const { state, writer, saved } = counting(file, 1);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      mkdirSync(path.join(file, 'inside'), { recursive: true });
      state.n = 1;
      writer.schedule();
      await vi.waitFor(() => expect(errors).toHaveBeenCalledTimes(1));
      expect(String(errors.mock.calls[0]![0])).toContain(file);

      rmSync(file, { recursive: true });
      state.n = 2;
      writer.schedule();
      await vi.waitFor(() => expect(saved()).toBe(2));

      mkdirSync(path.join(folder, 'blocked', 'state.json', 'inside'), { recursive: true });
      const blocked = new StateWriter(path.join(folder, 'blocked', 'state.json'), () => '{}');
      blocked.schedule();
      await expect(blocked.close()).rejects.toThrow(`could not save its state to ${path.join(folder, 'blocked', 'state.json')}`);
      expect(readdirSync(path.join(folder, 'blocked'))).toEqual(['state.json']);
    } finally {
      errors.mockRestore();
      await writer.close();
    }
  });
});
