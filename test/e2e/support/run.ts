import { execFile } from 'node:child_process';

export interface RunOptions {
  /** Added to (and overriding) process.env; `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Kills the command after this long (default 240 s). */
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

function environment(extra: RunOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

const tail = (text: string, lines = 40) => text.trimEnd().split('\n').slice(-lines).join('\n');

/**
 * Runs a program (no shell) and resolves with its stdout and stderr. Rejects when it cannot
 * start (e.g. not installed), exits non-zero, is killed or times out; the error names the
 * command and carries the end of both outputs.
 */
export function runFull(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: environment(options.env), timeout: options.timeoutMs ?? 240_000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { code?: number | string; signal?: string | null; killed?: boolean };
        const how =
          failure.code === 'ENOENT'
            ? `could not be started: ${command} is not installed or not on PATH (run infra/scripts/ensure-tools.sh)`
            : failure.killed || failure.signal
              ? `was killed (${failure.signal ?? 'timeout'})`
              : `exited with ${String(failure.code)}`;
        reject(new Error(`\`${[command, ...args].join(' ')}\` ${how}\n--- stderr ---\n${tail(stderr)}\n--- stdout ---\n${tail(stdout)}`));
      },
    );
  });
}

/** Runs a program and resolves with its stdout (see runFull). */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return (await runFull(command, args, options)).stdout;
}
