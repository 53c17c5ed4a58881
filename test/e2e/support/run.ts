import { execFile } from 'node:child_process';

export interface RunOptions {
  /** Added to (and overriding) process.env; `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Kills the command after this long (default 240 s). */
  readonly timeoutMs?: number;
  /** Written to the command's stdin, which is then closed (e.g. `docker login --password-stdin`). */
  readonly input?: string;
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

export interface Outcome extends RunResult {
  /** The exit code; undefined when the command was killed or timed out. */
  readonly exitCode: number | undefined;
}

/** Runs a program (no shell) to the end; rejects only when it cannot be started. */
function execute(command: string, args: readonly string[], options: RunOptions): Promise<Outcome & { how?: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: environment(options.env), timeout: options.timeoutMs ?? 240_000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { code?: number | string; signal?: string | null; killed?: boolean };
        if (failure.code === 'ENOENT') return reject(new Error(`\`${command}\` could not be started: ${command} is not installed or not on PATH (run infra/scripts/ensure-tools.sh)`));
        const killed = failure.killed || Boolean(failure.signal);
        resolve({
          exitCode: killed || typeof failure.code !== 'number' ? undefined : failure.code,
          stdout,
          stderr,
          how: killed ? `was killed (${failure.signal ?? 'timeout'})` : `exited with ${String(failure.code)}`,
        });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/**
 * Runs a program (no shell) and resolves with its stdout and stderr. Rejects when it cannot
 * start (e.g. not installed), exits non-zero, is killed or times out; the error names the
 * command and carries the end of both outputs.
 */
export async function runFull(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { exitCode, stdout, stderr, how } = await execute(command, args, options);
  if (exitCode === 0) return { stdout, stderr };
  throw new Error(`\`${[command, ...args].join(' ')}\` ${how}\n--- stderr ---\n${tail(stderr)}\n--- stdout ---\n${tail(stdout)}`);
}

/** Runs a program expected to fail: resolves with its exit code and outputs, whatever they are. */
export async function attempt(command: string, args: readonly string[], options: RunOptions = {}): Promise<Outcome> {
  const { exitCode, stdout, stderr } = await execute(command, args, options);
  return { exitCode, stdout, stderr };
}

/** Runs a program and resolves with its stdout (see runFull). */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return (await runFull(command, args, options)).stdout;
}
