export { AUDIT_SINKS, AuditedAppEnv, CommonEnv, PublicUrlEnv, LOG_LEVELS, NODE_ENVS } from './common-env';
export type { AuditSinkKind, LogLevel, NodeEnv } from './common-env';
export { defineAppConfig } from './app-config';
export type { AppConfig } from './app-config';
export { EnvBoolean } from './env-boolean';
export { ConfigValidationError, splitList, validateConfig } from './validate-config';
export type { EnvSource } from './validate-config';
export {
  hostnameOfHost,
  resolvePublicBaseUrl,
  resolveRequestBaseUrl,
  toPublicUrlSettings,
} from './public-url';
export type { HostHints, PublicUrlSettings } from './public-url';
export { checkStoreUrl } from './store-url';
export { parseUrlList } from './url-list';
export { parseTrustedProxies, trustedProxyCheck } from './trusted-proxies';
export type { TrustedProxyCheck } from './trusted-proxies';
