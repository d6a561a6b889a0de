import { normalisePath } from './normalise-path';

export interface RouteEntry<T> {
  /** Literal path, e.g. "/.well-known/jwks.json". */
  path: string;
  /** Whether deeper paths ("/docs/x.css") belong to the route too. */
  subpaths?: boolean;
  value: T;
}

export interface RouteMatch<T> {
  route: T;
  /** The path to forward: what was matched, never a looser spelling of it. */
  path: string;
  /** The route-table entry that matched, `/*` added for a deeper path: a bounded label for metrics and traces. */
  pattern: string;
}

interface Node<T> {
  children: Map<string, Node<T>>;
  exact?: T;
  subtree?: T;
  pattern?: string;
}

const newNode = <T>(): Node<T> => ({ children: new Map() });

/**
 * Matches by whole path segments on the normalised path, so "/mcpx" is not "/mcp" and "/token/../admin"
 * matches nothing. A tree of segments built once at boot; a lookup walks it without building strings.
 */
export class RouteMatcher<T> {
  private readonly root: Node<T> = newNode();

  constructor(entries: readonly RouteEntry<T>[]) {
    for (const entry of entries) {
      const normalised = normalisePath(entry.path);
      if (!normalised || normalised.path !== entry.path || normalised.segments.includes('')) {
        throw new Error(`Route path ${JSON.stringify(entry.path)} is not a plain absolute path`);
      }
      let node = this.root;
      for (const segment of normalised.segments) {
        let child = node.children.get(segment);
        if (!child) node.children.set(segment, (child = newNode()));
        node = child;
      }
      if (node.exact !== undefined) throw new Error(`Route ${entry.path} is declared twice`);
      node.exact = entry.value;
      node.pattern = entry.path;
      if (entry.subpaths) node.subtree = entry.value;
    }
  }

  /** `rawPath` is the path part of the request target, without the query. */
  match(rawPath: string): RouteMatch<T> | undefined {
    const normalised = normalisePath(rawPath);
    if (!normalised) return undefined;
    let node: Node<T> | undefined = this.root;
    let enclosing: Node<T> | undefined;
    for (const segment of normalised.segments) {
      if (node.subtree !== undefined) enclosing = node;
      node = node.children.get(segment);
      if (!node) break;
    }
    if (node?.exact !== undefined)
      return { route: node.exact, path: normalised.path, pattern: node.pattern! };
    if (!enclosing) return undefined;
    return { route: enclosing.subtree!, path: normalised.path, pattern: `${enclosing.pattern}/*` };
  }
}
