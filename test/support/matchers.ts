/** An asymmetric matcher for a string that begins with `prefix`; a mismatch prints the whole string. */
export const startingWith = (prefix: string) =>
  expect.stringMatching(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
