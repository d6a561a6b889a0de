import { Module } from '@nestjs/common';
import { GuardedHttpClient } from './guarded-http.client';

@Module({ providers: [GuardedHttpClient], exports: [GuardedHttpClient] })
export class OutboundModule {}
