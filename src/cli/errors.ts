/** A mistake in how the command was called: exit code 2, message on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes of the command line. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * The exit code for an error: 2 for usage errors and for the library's validation errors
 * (TypeError/RangeError: the input was wrong), 1 for any other failure (I/O, bugs).
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof RangeError || error instanceof TypeError) {
    return EXIT.usage;
  }
  return EXIT.failure;
}
