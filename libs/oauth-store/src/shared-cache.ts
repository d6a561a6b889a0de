/**
 * Short-lived values the app derives rather than owns (fetched client metadata documents, used client-assertion
 * ids): shared by every instance when the store is (Redis), in-process otherwise. Values are strings; an entry
 * is gone after its TTL. A DI token bound per backend by OAuthStoreModule.forRoot.
 */
export abstract class SharedCache {
  abstract get(key: string): Promise<string | undefined>;
  abstract set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores the value only if the key is absent; atomic: of concurrent callers exactly one gets true. */
  abstract add(key: string, value: string, ttlMs: number): Promise<boolean>;
}
