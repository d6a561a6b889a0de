import { HttpException, HttpStatus } from '@nestjs/common';
import type { BearerErrorCode } from '@app/oauth-errors';

/**
 * A 401 answered with a Bearer challenge (MCP authorization: resource_metadata + scope); `errorCode` is
 * undefined when the request carried no credentials. The message is the challenge's error_description.
 */
export class BearerChallengeException extends HttpException {
  constructor(
    readonly errorCode: BearerErrorCode | undefined,
    description: string,
  ) {
    super(`Unauthorized: ${description}`, HttpStatus.UNAUTHORIZED);
  }
}

/** authz could not confirm the token (JWKS or grant status unreachable): fail closed, never fail open. */
export class AuthUnavailableException extends HttpException {
  constructor(
    readonly description: string,
    readonly retryAfterSeconds: number,
  ) {
    super(description, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

/**
 * A transport-level problem answered as a JSON-RPC error object (JSON-RPC 2.0 §5): with the request's `id` when
 * one message was readable (MCP 2026-07-28 requires it on every error), else `id: null`. A refusal that will
 * pass (429, 503) says when to retry (RFC 9110 §10.2.3).
 */
export class JsonRpcHttpException extends HttpException {
  constructor(
    status: number,
    readonly rpcCode: number,
    message: string,
    readonly rpcId: string | number | null = null,
    readonly rpcData?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, status);
  }
}
