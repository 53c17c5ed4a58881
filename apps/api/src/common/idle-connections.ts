import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What a connection is doing when nothing has crossed it for the idle timeout. */
export interface ConnectionState {
  /** The request being served on it, if any (none: idle between keep-alive requests). */
  readonly request?: {
    /** The whole body has arrived. */
    readonly bodyComplete: boolean;
    /** Arrived body bytes wait for the server to take them: the server is the slow side. */
    readonly bodyBacklogged: boolean;
    readonly headersSent: boolean;
    /** Written response bytes wait for the client to take them. */
    readonly responseBacklogged: boolean;
  };
}

/**
 * Whether a connection silent for the idle timeout is closed: when the client is the side
 * that went quiet (between requests, in the middle of a body, or not reading the answer),
 * so that slow or stalled clients cannot hold sockets, file handles and upload claims
 * forever (slowloris). Never while the server works (storing a body it has not read yet,
 * or preparing an answer), which can take long for big blobs on slow storage.
 */
export function closesWhenIdle({ request }: ConnectionState): boolean {
  if (!request) return true;
  if (!request.bodyComplete) return !request.bodyBacklogged;
  if (!request.headersSent) return false;
  return request.responseBacklogged;
}

const served = new WeakMap<Socket, { request: IncomingMessage; response: ServerResponse }>();

/**
 * Closes connections that stay silent for `idleMs` while waiting on the client (see
 * closesWhenIdle); 0 never closes one. An upload cut off this way keeps what arrived.
 */
export function closeIdleConnections(server: Server, idleMs: number): void {
  if (idleMs <= 0) return;
  server.timeout = idleMs;
  // The latest request of each connection; once its answer is finished, the connection idles.
  server.on('request', (request: IncomingMessage, response: ServerResponse) => served.set(request.socket, { request, response }));
  // With a listener, Node leaves the decision to it (it would otherwise close every socket).
  server.on('timeout', (socket: Socket) => {
    const current = served.get(socket);
    const state: ConnectionState =
      current && !current.response.writableFinished
      ? {
          request: {
            bodyComplete: current.request.complete,
            bodyBacklogged: current.request.readableLength >= current.request.readableHighWaterMark,
            headersSent: current.response.headersSent,
            responseBacklogged: current.response.writableNeedDrain,
          },
        }
      : {};
    if (closesWhenIdle(state)) socket.destroy();
  });
}
