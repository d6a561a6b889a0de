/** The mcp e2e tests play authz with the resource-server library's fake, which speaks the real wire format. */
export { FakeAuthz } from '@app/resource-server/testing';
export type { FakeSigningKey, FakeTokenOptions } from '@app/resource-server/testing';
