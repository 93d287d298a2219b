import { afterEach, beforeEach, vi } from 'vitest';

// A console.error or an unhandled rejection during a test is a bug: fail loudly instead of scrolling past it.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  if (errors.length > 0) {
    throw new Error(`console.error was called during the test: ${JSON.stringify(errors[0])}`);
  }
});
process.on('unhandledRejection', (reason) => {
  throw reason instanceof Error ? reason : new Error(String(reason));
});
