export { FakeAuthz } from './fake-authz';
export type { FakeSigningKey, FakeTokenOptions } from './fake-authz';
export { sleep, until } from './wait';
