import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { CodeReviewProvider } from './code-review/code-review.provider';
import { FileSystemProvider } from './filesystem/filesystem.provider';
import { WorkspaceFilesService } from './filesystem/workspace-files.service';
import { WorkspaceWatcher } from './filesystem/workspace-watcher.service';
import { AuditLogService } from './logging/audit-log.service';
import { LoggingProvider } from './logging/logging.provider';
import { MathSandbox } from './math/math-sandbox.service';
import { MathProvider } from './math/math.provider';

/** Everything the server offers; the registry finds the decorated methods at boot. */
@Module({
  imports: [RegistryModule],
  providers: [
    WorkspaceFilesService,
    WorkspaceWatcher,
    FileSystemProvider,
    MathSandbox,
    MathProvider,
    CodeReviewProvider,
    AuditLogService,
    LoggingProvider,
  ],
  exports: [AuditLogService],
})
export class ProvidersModule {}
