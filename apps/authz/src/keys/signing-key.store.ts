import type { KeyFile } from './key-file';

export interface KeySetWatcher {
  /** Another process changed the set (a rotation): here it is. */
  changed(set: KeyFile): void;
  /** The set could not be read or opened; the current keys stay in use. */
  failed(error: Error): void;
}

/**
 * Where the signing keys are kept: the key file of one machine, Redis in cluster mode, or the one key of
 * AUTHZ_SIGNING_KEY_PEM. An abstract class so it doubles as the DI token bound to one of them
 * (signingKeyStoreFor); the admin CLI and `npm run keys:rotate` use the same one as the running authz.
 */
export abstract class SigningKeyStore {
  /** Where the keys are, in words, for messages. */
  abstract readonly location: string;
  /** The set, created once (atomically: several instances starting together end up with one) when missing. */
  abstract load(): Promise<KeyFile>;
  /** The set, or undefined before authz first created it. */
  abstract read(): Promise<KeyFile | undefined>;
  /**
   * A new active key; the previous active key retires (published for `publishedForMs` more), keys retired
   * longer ago are dropped. Atomic against a concurrent rotation; running instances hear of it.
   */
  abstract rotate(now: number, publishedForMs: number): Promise<{ before: KeyFile; after: KeyFile }>;
  /** Tells `watcher` whenever another process changes the set, until close(). */
  abstract watch(watcher: KeySetWatcher): void;
  abstract close(): Promise<void>;
}
