import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module';
import { RevocationModule } from '../revocation/revocation.module';
import { GrantStatusFrontDoor } from './grant-status.front-door';
import { RevocationAnnounceFrontDoor } from './revocation-announce.front-door';
import { RevocationStreamFrontDoor } from './revocation-stream.front-door';

/** authz's private endpoints for resource servers, served ahead of Express (no Nest routes). */
@Module({
  imports: [RevocationModule, KeysModule],
  providers: [GrantStatusFrontDoor, RevocationAnnounceFrontDoor, RevocationStreamFrontDoor],
  exports: [GrantStatusFrontDoor, RevocationAnnounceFrontDoor, RevocationStreamFrontDoor],
})
export class InternalModule {}
