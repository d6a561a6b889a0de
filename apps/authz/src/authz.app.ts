import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { splitList, trustedProxyCheck, type EnvSource } from '@app/config';
import { AppLogger, mountFrontDoors, type StartedApp } from '@app/runtime';
import { requireFlatBody } from './common/body-shape.middleware';
import { authzConfig, type AuthzConfig } from './config/authz.config';
import { AuthzModule } from './authz.module';
import { setupSwagger } from './docs/swagger.setup';
import { GrantStatusFrontDoor } from './internal/grant-status.front-door';
import { RevocationAnnounceFrontDoor } from './internal/revocation-announce.front-door';
import { RevocationStreamFrontDoor } from './internal/revocation-stream.front-door';

function installHttpPipeline(app: NestExpressApplication, config: AuthzConfig): void {
  app.disable('x-powered-by');
  // Only the gateway (loopback by default) may say who the client is; everyone else's X-Forwarded-For is ignored.
  app.set('trust proxy', trustedProxyCheck(splitList(config.trustProxy)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'frame-ancestors': ["'none'"],
          // Local stacks run on plain http://localhost; upgrading would break every form post.
          'upgrade-insecure-requests': null,
        },
      },
      frameguard: { action: 'deny' },
      // Clients (Swagger UI, some MCP clients) run the flow in a popup and read its redirect through
      // window.opener; COOP would sever that link between our pages and theirs.
      crossOriginOpenerPolicy: false,
      strictTransportSecurity: config.publicUrl.publicUrl.startsWith('https:'),
    }),
  );
  // RFC 6749 uses form encoding; JSON is accepted too. Repeated form parameters become arrays, which the
  // validation refuses (RFC 6749 §3.1: parameters must not be repeated).
  app.useBodyParser('urlencoded', { limit: config.maxBodyBytes, extended: false, parameterLimit: 100 });
  app.useBodyParser('json', { limit: config.maxBodyBytes });
  app.use(requireFlatBody);
}

/** Builds the authz app without listening, so tests can listen on an ephemeral port. */
export async function createAuthzApp(
  source: EnvSource,
): Promise<StartedApp & { app: NestExpressApplication }> {
  const config = authzConfig(source);
  const app = await NestFactory.create<NestExpressApplication>(AuthzModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    // Failures to start reach runMain, which prints one line for them (no abort, no stack, no buffered lines).
    abortOnError: false,
    autoFlushLogs: false,
  });
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  installHttpPipeline(app, config);
  setupSwagger(app, config);
  // The routes exist after init; the resource servers' private endpoints are then answered ahead of Express.
  try {
    await app.init();
  } catch (error) {
    // A failed start (e.g. signing keys that do not open) closes what already connected (Redis) behind it.
    await app.close().catch(() => undefined);
    throw error;
  }
  await mountFrontDoors(app, [
    app.get(GrantStatusFrontDoor),
    app.get(RevocationAnnounceFrontDoor),
    app.get(RevocationStreamFrontDoor),
  ]);
  return {
    app,
    listen: {
      port: config.port,
      host: config.host,
      shutdownGraceMs: config.env.SHUTDOWN_GRACE_MS,
      portVariable: 'AUTHZ_PORT',
      hostVariable: 'AUTHZ_HOST',
    },
    banner: () => `internal; ${signInSummary(config)} · store ${storeSummary(config)} · metrics /metrics`,
  };
}

/** Who approves consent on this stack: the first thing a new user needs to know. */
function signInSummary(config: AuthzConfig): string {
  const ways = [
    ...(config.autoLogin ? [`consent user ${config.defaultUser} (signed in automatically)`] : []),
    ...(config.users.size > 0 ? [`${config.users.size} local user(s)`] : []),
    ...config.federation.providers.map((provider) => `sign-in with ${provider.name}`),
  ];
  return ways.length > 0 ? ways.join(', ') : 'nobody can sign in: set AUTHZ_USERS or AUTHZ_OIDC_PROVIDERS';
}

function storeSummary(config: AuthzConfig): string {
  const store = config.store;
  return store.backend === 'sqlite'
    ? `SQLite ${store.file}`
    : store.backend === 'redis'
      ? 'Redis (STORE_URL)'
      : 'memory';
}
