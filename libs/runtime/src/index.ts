export { createHttpLogger, takeOverRequestListener } from './front-door';
export { createLoggerModule } from './logger.module';
export type { LoggingOptions } from './logger.module';
export { HealthController, READINESS_CHECKS } from './health.controller';
export type { ReadinessCheck } from './health.controller';
export { HealthModule } from './health.module';
export { REQUEST_ID_HEADER, isWellFormedRequestId, requestIdFor } from './request-id';
export { installGracefulShutdown, runMain } from './run-main';
export type { ListenOptions, StartedApp } from './run-main';
