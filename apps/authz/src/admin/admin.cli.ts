/*
 * `npm run admin -- <command> [--json]`: operate a running stack from its own environment (see USAGE). Exit 0 on
 * success, 1 when the command failed (one line on stderr), 2 for a usage error.
 */
import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { ConfigValidationError } from '@app/config';
import { parseAdminArgs, UsageError, USAGE, type AdminCommand } from './admin-args';
import { loadAdminConfig } from './admin.config';
import { AdminModule } from './admin.module';
import { AdminService } from './admin.service';
import { record, table } from './admin-output';

/** Warnings and errors of the services (a store unreachable) go to stderr; stdout is the command's answer. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

async function run(admin: AdminService, command: AdminCommand): Promise<{ data: unknown; text: string }> {
  switch (command.name) {
    case 'clients list': {
      const clients = await admin.listClients();
      const columns = ['client_id', 'kind', 'client_name', 'token_endpoint_auth_method', 'last_used_at'];
      return { data: clients, text: table(clients as never, columns, 'no clients') };
    }
    case 'clients show': {
      const client = await admin.showClient(command.id);
      return { data: client, text: record(client as never) };
    }
    case 'clients revoke': {
      const done = await admin.revokeClient(command.id);
      const text = [
        `client ${done.client_id}: ${done.registration_deleted ? 'registration deleted' : 'configured (remove it from AUTHZ_CLIENTS to stop new sign-ins)'}`,
        `grants revoked: ${done.grants_revoked.length}${done.grants_revoked.length ? ` (${done.grants_revoked.join(', ')})` : ''}`,
        `resource servers told: ${done.announced}`,
      ].join('\n');
      return { data: done, text };
    }
    case 'grants list': {
      const grants = await admin.listGrants(command.filter);
      const columns = ['grant_id', 'client_id', 'subject', 'status', 'created_at', 'expires_at'];
      return { data: grants, text: table(grants as never, columns, 'no live grants') };
    }
    case 'grants revoke': {
      const done = await admin.revokeGrant(command.id);
      return {
        data: done,
        text: `grant ${done.grant_id}: revoked (was ${done.was}); resource servers told: ${done.announced}`,
      };
    }
    case 'keys list': {
      const keys = await admin.listKeys();
      const columns = ['kid', 'alg', 'status', 'created_at', 'published_until'];
      return {
        data: keys,
        text: table(keys as never, columns, 'no signing keys yet: authz creates them at its first start'),
      };
    }
    case 'keys rotate': {
      const rotated = await admin.rotateKeys();
      return {
        data: rotated,
        text: `rotated: active kid ${rotated.active} (was ${rotated.previous}); ${rotated.published} key(s) published`,
      };
    }
    case 'sessions list': {
      const answer = await admin.listSessions();
      const none = answer.stateless
        ? 'mcp runs stateless (MCP_STATELESS=true): it keeps no sessions'
        : 'no open sessions';
      const columns = ['id', 'sub', 'client_id', 'last_seen', 'idle_seconds'];
      return { data: answer, text: table(answer.sessions, columns, none) };
    }
    case 'help':
      return { data: { usage: USAGE }, text: USAGE };
  }
}

async function main(): Promise<number> {
  let invocation;
  try {
    invocation = parseAdminArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (invocation.command.name === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  const context = await NestFactory.createApplicationContext(
    AdminModule.forRoot(loadAdminConfig(process.env)),
    {
      logger: new StderrLogger({ logLevels: ['error', 'warn'] }),
      abortOnError: false,
    },
  );
  try {
    const { data, text } = await run(context.get(AdminService), invocation.command);
    console.log(invocation.json ? JSON.stringify(data, null, 2) : text);
    return 0;
  } finally {
    await context.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof ConfigValidationError
        ? `invalid configuration: ${error.problems.join('; ')}`
        : `admin: ${(error as Error).message ?? String(error)}`,
    );
    process.exit(1);
  },
);
