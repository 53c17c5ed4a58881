export interface StartedWharf {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function startWharf(options: { dataDir: string; env?: Record<string, string>; logFile?: string; port?: number }): Promise<StartedWharf>;
export function freePort(): Promise<number>;
export const root: string;
