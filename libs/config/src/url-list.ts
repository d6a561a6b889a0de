import { splitList } from './validate-config';

/**
 * A variable naming one service instance or several, comma separated (AUTHZ_INTERNAL_URL: every authz instance a
 * resource server may ask): http or https base URLs, returned without trailing slashes. Throws naming the variable.
 */
export function parseUrlList(variable: string, value: string): string[] {
  const urls = splitList(value);
  if (urls.length === 0) throw new Error(`${variable}: at least one URL is required`);
  return urls.map((url) => {
    let protocol: string | undefined;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new Error(`${variable}: ${JSON.stringify(url)} is not an http or https URL`);
    }
    return url.replace(/\/+$/, '');
  });
}
