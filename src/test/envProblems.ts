import { EnvError } from '../config/parseEnv.js';

/** The problems an env loader reports; fails the test if it reports none. */
export function envProblemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error('expected an EnvError');
}
