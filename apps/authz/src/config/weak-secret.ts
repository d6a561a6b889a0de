/**
 * Production refuses secrets that are short or read like a placeholder copied from an example file: a static
 * client secret or registration token must be a random value (RFC 6749 §10.10: guessable credentials).
 */
export function isWeakSecret(value: string): boolean {
  return value.length < 32 || /change|example|secret|placeholder|default|password/i.test(value);
}
