import fc from 'fast-check';
import {
  computeS256Challenge,
  generateCodeVerifier,
  isValidCodeChallenge,
  isValidCodeVerifier,
  verifyCodeVerifier,
} from './pkce';

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'.split('');
const unreservedString = (min: number, max: number) =>
  fc.array(fc.constantFrom(...UNRESERVED), { minLength: min, maxLength: max }).map((chars) => chars.join(''));
const validVerifier = unreservedString(43, 128);

describe('pkce', () => {
  it('matches the RFC 7636 appendix B example', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(computeS256Challenge(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifyCodeVerifier(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(true);
  });

  it('accepts every verifier of 43-128 unreserved characters', () => {
    fc.assert(fc.property(validVerifier, (verifier) => isValidCodeVerifier(verifier)));
  });

  it('rejects verifiers that are too short or too long', () => {
    fc.assert(
      fc.property(fc.oneof(unreservedString(0, 42), unreservedString(129, 200)), (verifier) => {
        expect(isValidCodeVerifier(verifier)).toBe(false);
      }),
    );
  });

  it('rejects verifiers containing any character outside the unreserved set', () => {
    const outside = fc
      .string({ minLength: 1, maxLength: 1, unit: 'binary' })
      .filter((char) => !UNRESERVED.includes(char));
    fc.assert(
      fc.property(validVerifier, outside, fc.nat(), (verifier, bad, at) => {
        const index = at % verifier.length;
        const tampered = verifier.slice(0, index) + bad + verifier.slice(index + 1);
        expect(isValidCodeVerifier(tampered)).toBe(false);
        expect(verifyCodeVerifier(tampered, computeS256Challenge(verifier))).toBe(false);
      }),
    );
  });

  it('verifies a verifier against its own S256 challenge, which is always 43 base64url characters', () => {
    fc.assert(
      fc.property(validVerifier, (verifier) => {
        const challenge = computeS256Challenge(verifier);
        expect(isValidCodeChallenge(challenge)).toBe(true);
        expect(verifyCodeVerifier(verifier, challenge)).toBe(true);
      }),
    );
  });

  it('refuses a different verifier for the same challenge', () => {
    fc.assert(
      fc.property(validVerifier, validVerifier, (a, b) => {
        fc.pre(a !== b);
        expect(verifyCodeVerifier(b, computeS256Challenge(a))).toBe(false);
      }),
    );
  });

  it('refuses the plain method even when the verifier equals the challenge', () => {
    fc.assert(
      fc.property(validVerifier, (verifier) => {
        expect(verifyCodeVerifier(verifier, verifier, 'plain')).toBe(false);
      }),
    );
  });

  it('refuses non-string verifiers and malformed challenges', () => {
    expect(verifyCodeVerifier(undefined, computeS256Challenge('a'.repeat(43)))).toBe(false);
    expect(verifyCodeVerifier(['a'.repeat(43)], computeS256Challenge('a'.repeat(43)))).toBe(false);
    expect(verifyCodeVerifier('a'.repeat(43), 'too-short')).toBe(false);
  });

  it('generates verifiers that are valid and distinct', () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => generateCodeVerifier()));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) expect(isValidCodeVerifier(verifier)).toBe(true);
    expect(() => generateCodeVerifier(8)).toThrow(RangeError);
  });
});
