/**
 * A resource URI pattern of the resources file: the URI as written, where `*` matches any run of characters
 * (slashes included), e.g. `file:///secret/*`. The whole URI must match; nothing else is special.
 */
export function compileUriPattern(pattern: string): (uri: string) => boolean {
  if (!pattern.includes('*')) return (uri) => uri === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (uri) => regex.test(uri);
}
