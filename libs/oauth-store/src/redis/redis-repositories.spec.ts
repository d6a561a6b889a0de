import { describeRepositoryContracts, startRedisServer, type RedisServerHandle } from '../testing';
import { uniqueId } from '../testing/contract-helpers';
import { REDIS_REPOSITORIES } from '.';
import { RedisConnection } from './redis-connection';
import type { StoreLimits } from '../store-options';

let server: RedisServerHandle;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server.close());

/** Each repository gets its own key prefix on the one server, so counts and caps never see another test. */
function connect(limits: StoreLimits): RedisConnection {
  return new RedisConnection({
    backend: 'redis',
    url: server.url,
    keyPrefix: `${uniqueId('t')}:`,
    ...limits,
  });
}

describeRepositoryContracts('redis', async (name, limits) => {
  const connection = connect(limits);
  await connection.onModuleInit();
  const Implementation = REDIS_REPOSITORIES[name] as unknown as new (
    redis: RedisConnection,
    limits: StoreLimits,
  ) => never;
  return {
    repository: new Implementation(connection, limits),
    dispose: () => connection.onApplicationShutdown(),
  };
});
