/**
 * Text shown to users (the consent page) must not carry control characters or bidi overrides, which could make
 * an attacker's client name read as something else (RFC 7591 §5: client_name is not to be trusted).
 */
export const DISPLAYABLE_TEXT = /^[^\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]*$/u;
