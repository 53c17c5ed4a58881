export interface StartedWharf {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** The server's own settings (WHARF_DATA_DIR, WHARF_ADMIN_PASSWORD and the `env` it was given). */
  readonly env: Readonly<Record<string, string>>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `host` is the address it listens on (default 127.0.0.1). `sourceMaps: false` runs it as
 * `npm start` and the image do (default: stack traces into the sources).
 */
export function startWharf(options: { dataDir: string; env?: Record<string, string>; logFile?: string; port?: number; host?: string; sourceMaps?: boolean }): Promise<StartedWharf>;
/** A port free on `host` (default 127.0.0.1). */
export function freePort(host?: string): Promise<number>;
/** `host:port` as it goes into a URL or an image reference: an IPv6 address in brackets. */
export function hostPort(host: string, port: number): string;
export const root: string;
/** The admin password of every test server that was not given another one. */
export const adminPassword: string;
