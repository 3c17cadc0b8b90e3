/**
 * Exit code of a command called the wrong way (unknown flag, missing argument), apart from 1 (it ran and failed) so
 * scripts and the launcher can tell a typo from a failure.
 */
export const USAGE_EXIT_CODE = 2;

/** Prints what was wrong with the call (and the usage) on stderr and exits with {@link USAGE_EXIT_CODE}. */
export function exitWithUsage(...lines: string[]): never {
  for (const line of lines) console.error(line);
  process.exit(USAGE_EXIT_CODE);
}

/**
 * The command line as `parse` reads it; a parse error (thrown, e.g. by `util.parseArgs` in strict mode) is printed
 * with the usage, and the process exits with {@link USAGE_EXIT_CODE}. `--help` is the parser's to handle.
 */
export function parseCommandLineOrExit<T>(parse: (args: string[]) => T, usage: string, args: string[] = process.argv.slice(2)): T {
  try {
    return parse(args);
  } catch (error) {
    return exitWithUsage(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
  }
}

/**
 * A command's failure for a human: expected failures carry a code (ours, PostgreSQL's, the system's, e.g.
 * ECONNREFUSED) and their message says it all; anything else is a bug and keeps its stack.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if ('code' in error) return error.message || String(error.code);
  return error.stack ?? error.message;
}
