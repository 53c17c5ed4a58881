import passport from 'passport';

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const BASIC = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/**
 * The credentials of an `Authorization: Basic` header (RFC 7617): base64 of the user-id, a
 * colon and the password, in UTF-8. The user-id cannot hold a colon, so it ends at the first
 * one; the password is everything after it, colons included. undefined for anything else.
 */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  const match = BASIC.exec(header ?? '');
  if (!match || match[1]!.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

type Verified = (error: unknown, principal?: unknown) => void;
type Verify = (request: unknown, username: string, password: string, done: Verified) => void;

/**
 * A passport strategy for HTTP Basic. passport-http's splits the decoded value at every
 * colon and keeps the second piece, so a password holding a colon never matched; it also
 * decodes with the deprecated `Buffer()` constructor, whose per-call check walks the stack.
 * Constructed as passport-http's was, `(options, verify)`, with the request always passed.
 */
export class BasicCredentialsStrategy extends passport.Strategy {
  override name = 'basic';
  private readonly verify: Verify;

  constructor(_options: unknown, verify: Verify) {
    super();
    this.verify = verify;
  }

  override authenticate(request: { headers: Record<string, string | string[] | undefined> }): void {
    const self = this as unknown as passport.StrategyCreated<passport.Strategy>;
    const header = request.headers.authorization;
    const credentials = parseBasicAuthorization(typeof header === 'string' ? header : undefined);
    if (!credentials || credentials.username === '' || credentials.password === '') return self.fail('Basic realm="Wharf"', 401);
    this.verify(request, credentials.username, credentials.password, (error, principal) => {
      if (error) self.error(error instanceof Error ? error : new Error(String(error)));
      else if (principal) self.success(principal);
      else self.fail('Basic realm="Wharf"', 401);
    });
  }
}
