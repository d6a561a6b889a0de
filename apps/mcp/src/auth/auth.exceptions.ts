import { HttpException, HttpStatus } from '@nestjs/common';

/** RFC 6750 §3.1 error codes a 401 may carry; none at all when the request had no credentials. */
export type BearerErrorCode = 'invalid_token' | 'invalid_request';

/** A 401 answered with a Bearer challenge (MCP authorization: resource_metadata + scope). */
export class BearerChallengeException extends HttpException {
  constructor(
    readonly errorCode: BearerErrorCode | undefined,
    readonly description: string,
  ) {
    super(`Unauthorized: ${description}`, HttpStatus.UNAUTHORIZED);
  }
}

/** authz could not confirm the token (JWKS or token status unreachable): fail closed, never fail open. */
export class AuthUnavailableException extends HttpException {
  constructor(readonly description: string) {
    super(description, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

/** A transport-level problem answered as a JSON-RPC error object with `id: null` (JSON-RPC 2.0 §5). */
export class JsonRpcHttpException extends HttpException {
  constructor(
    status: number,
    readonly rpcCode: number,
    message: string,
  ) {
    super(message, status);
  }
}
