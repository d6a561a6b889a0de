/**
 * STORE_URL names the Redis several instances share (authz's store, and the revocation channel of authz and the
 * resource servers): redis:// or rediss:// only. The message never echoes the value: it may carry a password.
 */
export function checkStoreUrl(value: string): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new Error('STORE_URL: must be a redis:// or rediss:// URL');
  }
}
