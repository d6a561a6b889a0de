/** RFC 3986 §3.3 pchar, unreserved / sub-delims / ":" / "@", without pct-encoded. */
const PLAIN_SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/;
const ENCODED_SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%]*$/;
/** After decoding: a separator, a control character, or a "%" left by double encoding is never legitimate. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_DECODED = /[/\\%\x00-\x1f\x7f]/;

export interface NormalisedPath {
  /** Decoded segments; a trailing slash shows as a final empty segment. */
  segments: string[];
  /** The path to forward upstream: the raw one when it needed no decoding, else its canonical encoding. */
  path: string;
}

/**
 * Splits a request path into decoded segments, refusing anything whose meaning could differ between the
 * gateway and an upstream: dot-segments (RFC 3986 §5.2.4) raw or percent-encoded, encoded separators
 * (%2f, %5c), backslashes, NUL and other control characters, double encoding, empty segments ("//"),
 * malformed escapes, and anything that is not origin-form. Answers undefined for those.
 */
export function normalisePath(raw: string): NormalisedPath | undefined {
  if (raw.charCodeAt(0) !== 47 /* "/" */) return undefined;
  if (raw.length === 1) return { segments: [], path: raw };
  const parts = raw.split('/');
  const last = parts.length - 1;
  const segments: string[] = new Array(last);
  let decoded = false;
  for (let i = 1; i <= last; i++) {
    let segment = parts[i];
    if (segment === '') {
      // Only a trailing slash may leave an empty segment.
      if (i !== last) return undefined;
    } else if (!PLAIN_SEGMENT.test(segment)) {
      if (!ENCODED_SEGMENT.test(segment)) return undefined;
      try {
        segment = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
      if (UNSAFE_DECODED.test(segment)) return undefined;
      decoded = true;
    }
    if (segment === '.' || segment === '..') return undefined;
    segments[i - 1] = segment;
  }
  return { segments, path: decoded ? `/${segments.map(encodeURIComponent).join('/')}` : raw };
}
