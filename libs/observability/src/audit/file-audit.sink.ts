import {
  createWriteStream,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import { dirname } from 'node:path';
import type { AuditSink, FailureReporter } from './audit-sinks';

/**
 * Appends audit lines to a file (mode 0600, its folder 0700), rotated by size: when a line would take the file
 * past `maxBytes`, `file` becomes `file.1` (`file.1` becomes `file.2`, ...), at most `keep` old files are kept,
 * and a new `file` is started. Lines still buffered for the old file land in it (it is renamed, not reopened).
 * One process per file: every app has its own default file.
 */
export class FileAuditSink implements AuditSink {
  readonly kind = 'file';
  private stream!: WriteStream;
  private size = 0;

  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
    private readonly keep: number,
    private readonly onFailure: FailureReporter,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.open();
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    this.size += bytes;
    this.stream.write(line);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }

  /** Opened synchronously, so the file exists (and can be rotated) before the first write lands. */
  private open(): void {
    const fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(fd).size;
    this.stream = createWriteStream(this.path, { fd });
    this.stream.on('error', (error) => this.onFailure(error));
  }

  private rotate(): void {
    this.stream.end();
    try {
      rmSync(`${this.path}.${this.keep}`, { force: true });
      for (let n = this.keep - 1; n >= 1; n--) {
        if (existsSync(`${this.path}.${n}`)) renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
      }
      renameSync(this.path, `${this.path}.1`);
    } catch (error) {
      this.onFailure(error as Error);
    }
    this.open();
  }
}
