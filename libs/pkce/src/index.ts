export {
  SUPPORTED_CODE_CHALLENGE_METHODS,
  computeS256Challenge,
  generateCodeVerifier,
  isCodeChallengeMethodSupported,
  isValidCodeChallenge,
  isValidCodeVerifier,
  verifyCodeVerifier,
} from './pkce';
export type { CodeChallengeMethod } from './pkce';
