import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processorFolders, REGISTRY_FILE, renderRegistry } from '../../scripts/registerProcessors.js';
import { processorModules } from './processorModules.js';
import { processorIds } from './processors.js';

describe('the processor registry', () => {
  it('lists every processor folder: run npm run processors:register after adding one', () => {
    expect(readFileSync(REGISTRY_FILE, 'utf8')).toBe(renderRegistry(processorFolders()));
  });

  it('each module has its own id, and the registry names them all', () => {
    const ids = processorModules.map((module) => module.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(processorIds).toEqual(ids);
    expect(ids.length).toBe(processorFolders().length);
  });
});
