import type { GrantFilter } from './admin.service';

export type AdminCommand =
  | { name: 'clients list' | 'keys list' | 'keys rotate' | 'sessions list' | 'help' }
  | { name: 'clients show' | 'clients revoke' | 'grants revoke'; id: string }
  | { name: 'grants list'; filter: GrantFilter };

export interface AdminInvocation {
  command: AdminCommand;
  json: boolean;
}

export const USAGE = `Usage: npm run admin -- <command> [--json]

  clients list                     configured and registered clients
  clients show <client_id>         one client and how many grants it holds
  clients revoke <client_id>       delete its registration, revoke every grant it holds (and so its tokens)
  grants list --subject <sub>      a user's live grants
  grants list --client <client_id> a client's live grants
  grants revoke <grant_id>         revoke a grant: its refresh and access tokens stop working
  keys list                        the signing keys in the JWKS
  keys rotate                      add a new signing key, retire the current one
  sessions list                    open MCP sessions of the mcp at MCP_INTERNAL_URL

Runs with authz's environment (.env, AUTHZ_DATA_DIR, AUTHZ_STORE, STORE_URL): the same store as the running authz.
--json prints the answer as JSON.`;

export class UsageError extends Error {}

/** Reads `<noun> <verb> [id] [--subject x | --client y] [--json]`; throws UsageError for anything else. */
export function parseAdminArgs(argv: readonly string[]): AdminInvocation {
  const json = argv.includes('--json');
  const words = argv.filter((word) => word !== '--json');
  if (words.length === 0 || words.includes('--help') || words[0] === 'help') {
    return { command: { name: 'help' }, json };
  }
  const [noun, verb, ...rest] = words;
  const named = `${noun} ${verb ?? ''}`.trim();
  const one = (): string => {
    if (rest.length !== 1 || rest[0].startsWith('--')) throw new UsageError(`${named} takes one id`);
    return rest[0];
  };
  const none = () => {
    if (rest.length > 0) throw new UsageError(`${named} takes no arguments`);
  };
  switch (named) {
    case 'clients list':
    case 'keys list':
    case 'keys rotate':
    case 'sessions list':
      none();
      return { command: { name: named }, json };
    case 'clients show':
    case 'clients revoke':
    case 'grants revoke':
      return { command: { name: named, id: one() }, json };
    case 'grants list': {
      const [flag, value, ...extra] = rest;
      if (extra.length > 0 || value === undefined || value.startsWith('--')) {
        throw new UsageError('grants list takes --subject <sub> or --client <client_id>');
      }
      if (flag === '--subject') return { command: { name: named, filter: { subject: value } }, json };
      if (flag === '--client') return { command: { name: named, filter: { client: value } }, json };
      throw new UsageError('grants list takes --subject <sub> or --client <client_id>');
    }
    default:
      throw new UsageError(`unknown command: ${words.join(' ')}`);
  }
}
