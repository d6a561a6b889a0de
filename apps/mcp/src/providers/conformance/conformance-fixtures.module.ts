import { Module } from '@nestjs/common';
import { RegistryModule } from '../../registry/registry.module';
import { CatalogFixtures } from './catalog.fixtures';
import { ClientRequestFixtures } from './client-request.fixtures';
import { ContentFixtures } from './content.fixtures';
import { MrtrFixtures } from './mrtr.fixtures';
import { SlowFixtures } from './slow.fixtures';

/**
 * What the official conformance suite calls by name, so the whole suite can run against this server. Imported
 * only when MCP_CONFORMANCE_FIXTURES is on, which production refuses (loadMcpConfig).
 */
@Module({
  imports: [RegistryModule],
  providers: [ContentFixtures, ClientRequestFixtures, MrtrFixtures, CatalogFixtures, SlowFixtures],
})
export class ConformanceFixturesModule {}
