/** What the rows need of a registry under test, Wharf or the peer alike. */
export interface Registry {
  readonly label: 'wharf' | 'peer';
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The server process whose memory is sampled (for Wharf the Node process, not PostgreSQL). */
  readonly pid: number;
  /** Basic credentials a client such as skopeo logs in with. */
  readonly credentials: { readonly username: string; readonly password: string };
  /** `Bearer <token>` granting these scopes, obtained as the registry's clients obtain it. */
  authorization(scopes: readonly string[]): Promise<string>;
  /** Stops the process and starts it again on the same port, data and configuration. */
  restart(): Promise<void>;
}

export const pullPush = (repository: string) => `repository:${repository}:pull,push`;
export const pull = (repository: string) => `repository:${repository}:pull`;
export const CATALOG = 'registry:catalog:*';
