import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mcpConfig } from '../../config/mcp.config';
import { Refusal } from '../../registry/refusal';
import { resolveInsideRoot, toWorkspacePath } from './safe-path';

export interface DirectoryEntry {
  name: string;
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size?: number;
}

const MAX_LISTING = 500;
const MAX_WALK_ENTRIES = 5000;
const MAX_WALK_DEPTH = 12;
const PROGRESS_EVERY = 50;
/** completion/complete returns at most 100 values (MCP server/utilities/completion). */
const MAX_COMPLETIONS = 100;

/** Read-only access to the workspace root; every path goes through resolveInsideRoot first. */
@Injectable()
export class WorkspaceFilesService implements OnModuleInit {
  private root = '';

  constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {}

  async onModuleInit(): Promise<void> {
    // The root itself may be a symlink; containment is checked against its real path.
    this.root = await realpath(this.config.fsRoot).catch(() => {
      throw new Error(`MCP_FS_ROOT does not exist: ${this.config.fsRoot}`);
    });
  }

  async list(path: string): Promise<DirectoryEntry[]> {
    const real = await resolveInsideRoot(this.root, path);
    if (!(await stat(real)).isDirectory())
      throw new Refusal(`Not a directory: ${toWorkspacePath(this.root, real)}`);
    const dirents = await readdir(real, { withFileTypes: true });
    const entries = await Promise.all(
      dirents.slice(0, MAX_LISTING).map(async (dirent): Promise<DirectoryEntry> => {
        const full = join(real, dirent.name);
        const type = dirent.isSymbolicLink()
          ? 'symlink'
          : dirent.isDirectory()
            ? 'directory'
            : dirent.isFile()
              ? 'file'
              : 'other';
        const size = type === 'file' ? (await stat(full)).size : undefined;
        return { name: dirent.name, path: toWorkspacePath(this.root, full), type, size };
      }),
    );
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** A text file's contents: bounded in size, valid UTF-8 and free of NUL bytes (so not binary). */
  async readText(path: string): Promise<{ path: string; text: string }> {
    const real = await resolveInsideRoot(this.root, path);
    const shown = toWorkspacePath(this.root, real);
    const limit = this.config.env.MCP_FS_MAX_FILE_BYTES;
    // Checked on the open handle, so the file read is the file checked (no swap between stat and open).
    const handle = await open(real, 'r');
    let bytes: Buffer;
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Refusal(`Not a file: ${shown}`);
      // A hard link is indistinguishable from its target, which may live outside the root: path containment
      // proves nothing for a file with another name elsewhere, so such files are never served.
      if (info.nlink > 1) throw new Refusal(`Refused: ${shown} has other hard links`);
      if (info.size > limit)
        throw new Refusal(`File too large: ${shown} is ${info.size} bytes (limit ${limit})`);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
    if (bytes.length > limit) throw new Refusal(`File too large: ${shown} (limit ${limit} bytes)`);
    if (bytes.includes(0)) throw new Refusal(`Not a text file: ${shown}`);
    try {
      return { path: shown, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      throw new Refusal(`Not a text file (invalid UTF-8): ${shown}`);
    }
  }

  /**
   * Files under `path` whose name (or, with `inContent`, text) contains `query`, case-insensitively.
   * `onVisit` hears how many entries were looked at so far, every PROGRESS_EVERY of them.
   */
  async search(
    path: string,
    query: string,
    inContent: boolean,
    maxResults: number,
    onVisit?: (visited: number) => Promise<void>,
  ): Promise<string[]> {
    const start = await resolveInsideRoot(this.root, path);
    const needle = query.toLowerCase();
    const found: string[] = [];
    let visited = 0;
    const walk = async (dir: string, depth: number): Promise<void> => {
      if (depth > MAX_WALK_DEPTH) return;
      const dirents = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const dirent of dirents.sort((a, b) => a.name.localeCompare(b.name))) {
        if (found.length >= maxResults || ++visited > MAX_WALK_ENTRIES) return;
        if (onVisit && visited % PROGRESS_EVERY === 0) await onVisit(visited);
        const full = join(dir, dirent.name);
        // Symlinks are never followed while walking: they could loop or leave the root.
        if (dirent.isDirectory()) await walk(full, depth + 1);
        else if (dirent.isFile() && (await this.matches(full, dirent.name, needle, inContent))) {
          found.push(toWorkspacePath(this.root, full));
        }
      }
    };
    if ((await stat(start)).isDirectory()) await walk(start, 0);
    return found;
  }

  /** Every file in the workspace (bounded), for resources/list. */
  async allFiles(limit: number): Promise<string[]> {
    return this.search('.', '', false, limit);
  }

  /** Workspace file paths starting with `prefix`, in walk order, for argument completion. */
  async pathsStartingWith(prefix: string): Promise<string[]> {
    const all = await this.search('.', '', false, MAX_WALK_ENTRIES);
    return all.filter((file) => file.startsWith(prefix)).slice(0, MAX_COMPLETIONS);
  }

  /** The real root, once the module is initialised (the watcher observes it). */
  get realRoot(): string {
    return this.root;
  }

  private async matches(full: string, name: string, needle: string, inContent: boolean): Promise<boolean> {
    if (!inContent) return name.toLowerCase().includes(needle);
    const info = await stat(full);
    if (info.size > this.config.env.MCP_FS_MAX_FILE_BYTES) return false;
    const text = await this.readText(toWorkspacePath(this.root, full)).catch(() => undefined);
    return text !== undefined && text.text.toLowerCase().includes(needle);
  }
}
