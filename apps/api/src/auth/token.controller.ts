import { Controller, Get, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Principal } from '@wharf/authz';
import { OciError, OciErrorCode, parseScopes, type AccessScope } from '@wharf/oci';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AccessService, principalKey } from '../access/access.service';
import { all, first, type Query } from '../common/query';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { RegistryExceptionFilter } from '../registry/registry-exception.filter';
import { BasicOrAnonymousGuard } from './basic.strategy';
import { CredentialsService } from './credentials.service';
import { RegistryTokens } from './registry-tokens';
import { SigningKeys } from './signing-keys';


const MAX_FORM_BYTES = 64 * 1024;

async function readForm(request: FastifyRequest): Promise<URLSearchParams> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw new OciError(OciErrorCode.Unsupported, 'expected an application/x-www-form-urlencoded body', undefined, 400);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new OciError(OciErrorCode.Unsupported, 'token request body too large', undefined, 413);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The token service of the Docker registry token spec. Who may call it: anyone; anonymous
 * callers get only what is public. GET with Basic credentials (docker, podman, skopeo,
 * crane, oras, the conformance suites); POST with the OAuth2 password and refresh_token
 * grants (docker's identity tokens, containerd's POST-first flow). The grant is the
 * intersection of what was asked and what the authorization module allows.
 */
@Controller()
@UseFilters(RegistryExceptionFilter)
export class TokenController {
  constructor(
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
    @Inject(RegistryTokens) private readonly tokens: RegistryTokens,
    @Inject(SigningKeys) private readonly keys: SigningKeys,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /** The scopes asked for this registry: none when the request names another service. */
  private scopesFor(service: string | null | undefined, scopes: readonly string[]): AccessScope[] {
    return service === undefined || service === null || service === this.config.auth.service ? parseScopes(scopes) : [];
  }

  @Get('token')
  @UseGuards(BasicOrAnonymousGuard)
  async getToken(@Req() request: FastifyRequest & { user: Principal }, @Res() reply: FastifyReply): Promise<void> {
    const query = request.query as Query;
    const principal = request.user;
    const scopes = this.scopesFor(first(query.service), all(query.scope));
    const issued = await this.issue(principal, scopes);
    const offline = first(query.offline_token) === 'true' && principal.kind !== 'anonymous';
    const refreshToken = offline ? await this.credentials.issueRefreshToken(principal, first(query.client_id)) : undefined;
    this.send(reply, { token: issued.token, access_token: issued.token, expires_in: issued.expiresIn, issued_at: issued.issuedAt, ...(refreshToken ? { refresh_token: refreshToken } : {}) });
  }

  @Post('token')
  async postToken(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form = await readForm(request);
    const grantType = form.get('grant_type');
    const scopes = this.scopesFor(form.get('service'), form.getAll('scope'));
    let principal: Principal;
    let refreshToken: string | undefined;
    if (grantType === 'password') {
      principal = await this.credentials.authenticate(form.get('username') ?? '', form.get('password') ?? '', request.ip);
      if (form.get('access_type') === 'offline') refreshToken = await this.credentials.issueRefreshToken(principal, form.get('client_id') ?? undefined);
    } else if (grantType === 'refresh_token') {
      refreshToken = form.get('refresh_token') ?? '';
      principal = await this.credentials.authenticateRefreshToken(refreshToken, request.ip);
    } else {
      throw new OciError(OciErrorCode.Unsupported, 'grant_type must be password or refresh_token', undefined, 400);
    }
    const issued = await this.issue(principal, scopes);
    this.send(reply, {
      access_token: issued.token,
      token: issued.token,
      expires_in: issued.expiresIn,
      issued_at: issued.issuedAt,
      scope: issued.access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' '),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  }

  /**
   * OAuth2 token revocation (RFC 7009) for refresh tokens. Who: whoever holds the token.
   * Always 200, whether or not the token existed.
   */
  @Post('token/revoke')
  async revoke(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form = await readForm(request);
    await this.credentials.revokeRefreshToken(form.get('token') ?? '');
    this.send(reply, {});
  }

  /** The public keys that verify registry tokens. Anyone may read them. */
  @Get('.well-known/jwks.json')
  jwks(@Res() reply: FastifyReply): void {
    this.send(reply, this.keys.jwks());
  }

  private async issue(principal: Principal, scopes: readonly AccessScope[]) {
    const grant = await this.access.grant(principal, scopes);
    const subject = principal.kind === 'anonymous' ? '' : principal.kind === 'token' ? principal.user.name : principal.name;
    return { ...(await this.tokens.issue(subject, principalKey(principal), grant)), access: grant.access };
  }

  private send(reply: FastifyReply, payload: unknown): void {
    const body = Buffer.from(JSON.stringify(payload));
    reply.code(200).header('Content-Type', 'application/json').header('Cache-Control', 'no-store').header('Content-Length', String(body.length)).send(body);
  }
}
