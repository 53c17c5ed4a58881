export interface StartedWharf {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** The server's own settings (WHARF_DATA_DIR, WHARF_ADMIN_PASSWORD and the `env` it was given). */
  readonly env: Readonly<Record<string, string>>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `sourceMaps: false` runs it as `npm start` and the image do (default: stack traces into the sources). */
export function startWharf(options: { dataDir: string; env?: Record<string, string>; logFile?: string; port?: number; sourceMaps?: boolean }): Promise<StartedWharf>;
export function freePort(): Promise<number>;
export const root: string;
/** The admin password of every test server that was not given another one. */
export const adminPassword: string;
