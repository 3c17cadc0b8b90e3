import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Raised when a system command (ip, tc, initdb, ...) fails, with its stderr, so a broken setup says why. */
export class CommandError extends Error {
  readonly code = 'COMMAND_FAILED';
  constructor(
    readonly command: string,
    readonly stderr: string,
  ) {
    super(`${command} failed: ${stderr.trim() || 'no output'}`);
    this.name = 'CommandError';
  }
}

/** Runs a command to completion (no shell: arguments are passed as they are) and returns its stdout. */
export async function run(command: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, [...args], { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new CommandError(`${command} ${args.join(' ')}`, failure.stderr || failure.message);
  }
}

/** Like {@link run}, for clean-up steps that may find nothing to clean: failures are ignored. */
export async function runQuietly(command: string, args: readonly string[]): Promise<string> {
  try {
    return await run(command, args, { timeoutMs: 10_000 });
  } catch {
    return '';
  }
}
