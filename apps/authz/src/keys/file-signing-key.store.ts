import { unwatchFile, watchFile, type StatsListener } from 'node:fs';
import {
  keyFilePath,
  loadOrCreateKeyFile,
  readKeyFile,
  rotateKeyFile,
  writeKeyFile,
  type KeyFile,
} from './key-file';
import { SigningKeyStore, type KeySetWatcher } from './signing-key.store';

const RELOAD_POLL_MS = 2_000;

/**
 * One machine: `<AUTHZ_DATA_DIR>/signing-keys.json` (mode 0600), polled, so `npm run keys:rotate` takes effect
 * in a running server within seconds.
 */
export class FileSigningKeyStore extends SigningKeyStore {
  readonly location: string;
  private listener?: StatsListener;

  constructor(private readonly dataDir: string) {
    super();
    this.location = keyFilePath(dataDir);
  }

  load(): Promise<KeyFile> {
    return loadOrCreateKeyFile(this.dataDir);
  }

  read(): Promise<KeyFile | undefined> {
    return readKeyFile(this.dataDir);
  }

  async rotate(now: number, publishedForMs: number): Promise<{ before: KeyFile; after: KeyFile }> {
    const before = await this.load();
    const after = await rotateKeyFile(before, now, publishedForMs);
    await writeKeyFile(this.dataDir, after);
    return { before, after };
  }

  watch(watcher: KeySetWatcher): void {
    this.listener = () => {
      this.read().then(
        (set) => set && watcher.changed(set),
        (error: Error) => watcher.failed(error),
      );
    };
    watchFile(this.location, { interval: RELOAD_POLL_MS, persistent: false }, this.listener);
  }

  async close(): Promise<void> {
    // Only our own listener: several apps in one process (tests) may watch the same file.
    if (this.listener) unwatchFile(this.location, this.listener);
    this.listener = undefined;
  }
}
