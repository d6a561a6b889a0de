import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';

/** Where things are, relative to the gateway's own URL (so they hold on every alias and behind any proxy). */
export const HOME_LINKS = {
  mcp: { href: '/mcp', title: 'MCP endpoint (Streamable HTTP): point an MCP client here' },
  docs: { href: '/docs/', title: 'Swagger UI of the authorization server' },
  openapi: { href: '/docs-json', title: 'OpenAPI document' },
  authorization_server: {
    href: '/.well-known/oauth-authorization-server',
    title: 'Authorization server metadata (RFC 8414)',
  },
  protected_resource: {
    href: '/.well-known/oauth-protected-resource/mcp',
    title: 'Protected resource metadata of /mcp (RFC 9728)',
  },
} as const;

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}code{font-size:90%}';

function page(): string {
  const items = Object.values(HOME_LINKS)
    .map(({ href, title }) => `<li><a href="${href}"><code>${href}</code></a>: ${title}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mcp-auth-gateway</title><style>${STYLE}</style></head>
<body><h1>mcp-auth-gateway</h1>
<p>An OAuth-protected MCP server and its authorization server, behind this one URL.</p>
<ul>
${items}
</ul></body></html>
`;
}

/**
 * GET / on the gateway: a small page linking the MCP endpoint and the API docs for a person who opens the bare
 * URL, or the same links as JSON for a client that asks for `application/json`. Static: no input is echoed.
 */
@Controller()
export class HomeController {
  private readonly html = page();
  private readonly json = JSON.stringify({ name: 'mcp-auth-gateway', links: HOME_LINKS });

  @Get()
  home(@Req() req: Request, @Res() res: Response): void {
    res.setHeader('Vary', 'Accept');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-cache');
    if (req.accepts(['text/html', 'application/json']) === 'application/json') {
      res.type('application/json').send(this.json);
      return;
    }
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
    res.type('text/html').send(this.html);
  }
}
