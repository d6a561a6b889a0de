import { Injectable } from '@nestjs/common';
import type {
  CallToolResult,
  ReadResourceResult,
  Resource as ResourceItem,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { MCP_SCOPES, RequireScopes } from '@app/scopes';
import { Resource, Tool } from '../../registry/registry.decorators';
import type { CallContext } from '../../registry/registry.types';
import { fileUriFor, pathFromFileUri } from './safe-path';
import { WorkspaceFilesService } from './workspace-files.service';

const path = z.string().max(1024).describe('Path relative to the workspace root, "/" separated');
const json = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
  structuredContent: value as Record<string, unknown>,
});
const MAX_LISTED_RESOURCES = 200;

/** Read-only, rooted file access. Reading files is reading resources, so every item also needs that scope. */
@Injectable()
@RequireScopes(MCP_SCOPES.resourcesRead)
export class FileSystemProvider {
  constructor(private readonly files: WorkspaceFilesService) {}

  @Tool({
    name: 'list_directory',
    title: 'List directory',
    description: 'List the entries of a workspace directory (name, path, type, size).',
    input: z.object({ path: path.default('.') }),
    annotations: { readOnlyHint: true, openWorldHint: false },
  })
  async listDirectory({ path: dir }: { path: string }): Promise<CallToolResult> {
    return json({ path: dir, entries: await this.files.list(dir) });
  }

  @Tool({
    name: 'read_file',
    title: 'Read file',
    description: 'Read a UTF-8 text file from the workspace (size-limited; binary files are refused).',
    input: z.object({ path }),
    annotations: { readOnlyHint: true, openWorldHint: false },
  })
  async readFile({ path: file }: { path: string }): Promise<CallToolResult> {
    const { text } = await this.files.readText(file);
    return { content: [{ type: 'text', text }] };
  }

  @Tool({
    name: 'search_files',
    title: 'Search files',
    description: 'Find workspace files whose name (or, with content=true, text) contains a substring.',
    input: z.object({
      query: z.string().min(1).max(200),
      path: path.default('.'),
      content: z.boolean().default(false).describe('Search file contents instead of names'),
      maxResults: z.number().int().min(1).max(100).default(20),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
  })
  async searchFiles(
    args: { query: string; path: string; content: boolean; maxResults: number },
    ctx: CallContext,
  ): Promise<CallToolResult> {
    // A content search can read thousands of files: report how far it got (MCP basic/utilities/progress).
    const matches = await this.files.search(args.path, args.query, args.content, args.maxResults, (visited) =>
      ctx.progress(visited, undefined, `${visited} entries searched`),
    );
    return json({ query: args.query, matches, truncated: matches.length >= args.maxResults });
  }

  @Resource({
    name: 'workspace-file',
    title: 'Workspace file',
    description: 'A text file in the workspace, addressed as file:///<path>.',
    uriTemplate: 'file:///{+path}',
    mimeType: 'text/plain',
    list: 'listResources',
    complete: { path: 'completePath' },
  })
  async readResource(uri: URL): Promise<ReadResourceResult> {
    const { text } = await this.files.readText(pathFromFileUri(uri));
    return { contents: [{ uri: uri.href, mimeType: 'text/plain', text }] };
  }

  /** completion/complete for the template's `path`: workspace files starting with what was typed. */
  completePath(value: string): Promise<string[]> {
    return this.files.pathsStartingWith(value);
  }

  async listResources(): Promise<ResourceItem[]> {
    const paths = await this.files.allFiles(MAX_LISTED_RESOURCES);
    return paths.map((file) => ({ uri: fileUriFor(file), name: file, mimeType: 'text/plain' }));
  }
}
