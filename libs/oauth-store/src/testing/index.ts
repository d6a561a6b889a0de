export { describeRepositoryContracts, type BackendFactory } from './all.contracts';
export { startRedisServer, type RedisServerHandle, type RedisServerOptions } from './redis-server';
