import type { DoctorCheck } from '../doctor-context';
import { authorizationServerCheck } from './authorization-server.check';
import { challengeCheck } from './challenge.check';
import { clientRegistrationCheck } from './client-registration.check';
import { clockSkewCheck } from './clock-skew.check';
import { corsCheck } from './cors.check';
import { issParameterCheck } from './iss-parameter.check';
import { jwksCheck } from './jwks.check';
import { pkceCheck } from './pkce.check';
import { resourceMatchCheck } from './resource-match.check';
import { resourceMetadataCheck } from './resource-metadata.check';
import { transportSecurityCheck } from './transport-security.check';

/** In the order a client walks: each later check builds on what the earlier ones found. */
export const CHECKS: readonly DoctorCheck[] = [
  transportSecurityCheck,
  challengeCheck,
  resourceMetadataCheck,
  resourceMatchCheck,
  authorizationServerCheck,
  clientRegistrationCheck,
  pkceCheck,
  issParameterCheck,
  jwksCheck,
  corsCheck,
  clockSkewCheck,
];
