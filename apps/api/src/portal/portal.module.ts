import { Module } from '@nestjs/common';

import { PortalService } from './portal.service';

/** The web portal on the same origin as the registry and the API (see PortalService). */
@Module({ providers: [PortalService], exports: [PortalService] })
export class PortalModule {}
