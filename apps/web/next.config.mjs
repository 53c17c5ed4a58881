// The Wharf portal. In production it is served by the API process itself (apps/api/src/portal),
// on the registry's origin. In development (`npx nx run web:dev`, port 3000) the management API,
// the registry and the token service are proxied to a running Wharf (WHARF_API_URL, default
// http://127.0.0.1:5000), so the browser still sees one origin and the session cookie works.
const api = process.env.WHARF_API_URL ?? 'http://127.0.0.1:5000';

/** @type {import('next').NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lint and type checks are their own Nx targets (web:lint, web:typecheck).
  eslint: { ignoreDuringBuilds: true },
  async rewrites() {
    if (process.env.NODE_ENV === 'production') return [];
    return ['/api/:path*', '/v2/:path*', '/token', '/.well-known/:path*'].map((source) => ({ source, destination: `${api}${source}` }));
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default config;
