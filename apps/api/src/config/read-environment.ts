import { validateEnvironment, type Environment } from './environment.js';

/**
 * The validated settings of this process. A bad value is the operator's to fix: its
 * explanation goes to stderr, without a stack trace, and the process exits 1.
 */
export function readEnvironmentOrExit(): Environment {
  try {
    return validateEnvironment(process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
