import { Global, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';

import { AccessService } from '../access/access.service';
import { BasicOrAnonymousGuard, CredentialsStrategy } from '../auth/basic.strategy';
import { CredentialCache } from '../auth/credential-cache';
import { CredentialsService } from '../auth/credentials.service';
import { LoginThrottle } from '../auth/login-throttle';
import { PasswordHasher } from '../auth/passwords';
import { RegistryTokens } from '../auth/registry-tokens';
import { SigningKeys } from '../auth/signing-keys';
import { TokenController } from '../auth/token.controller';
import { AccountsService } from './accounts.service';
import { OrganizationsService } from './organizations.service';
import { RobotsService } from './robots.service';

const services = [AccessService, PasswordHasher, LoginThrottle, CredentialCache, CredentialsService, SigningKeys, RegistryTokens, AccountsService, OrganizationsService, RobotsService];

/**
 * Who is who and who may do what: the authorization module, credentials, registry tokens
 * and their signing keys, the token service (`/token`), users, organizations and robots.
 */
@Global()
@Module({
  imports: [PassportModule],
  controllers: [TokenController],
  providers: [...services, CredentialsStrategy, BasicOrAnonymousGuard],
  exports: services,
})
export class IdentityModule implements OnApplicationBootstrap {
  constructor(
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(SigningKeys) private readonly keys: SigningKeys,
  ) {}

  /** At start: the first administrator and the token signing keys. */
  async onApplicationBootstrap(): Promise<void> {
    await this.keys.start();
    await this.accounts.bootstrapAdmin();
  }
}
