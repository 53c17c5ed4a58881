import { createServer } from 'node:http';

import { PeerAuth } from '../servers/peer-auth';

/**
 * The token service of the peer (the realm in Distribution's challenge), for clients that
 * log in themselves (skopeo in B11): any Basic credentials get a token for what they ask.
 */
export function startTokenServer(keyFile: string, certFile: string): Promise<number> {
  const auth = PeerAuth.load(keyFile, certFile);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname !== '/token') return response.writeHead(404).end();
    auth.mint(url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean)).then(
      (token) => {
        const body = JSON.stringify({ token, access_token: token, expires_in: 3600, issued_at: new Date().toISOString() });
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }).end(body);
      },
      () => response.writeHead(400).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}
