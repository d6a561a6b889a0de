import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { InvalidRequestError, type OAuthError } from './oauth-error';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).length > 0 ? [path] : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Describes failures by field name only; constraint messages could echo attacker-controlled values. */
export function describeValidationErrors(errors: ValidationError[]): string {
  const fields = [...new Set(flatten(errors))];
  return `Invalid or missing parameter${fields.length === 1 ? '' : 's'}: ${fields.join(', ')}`;
}

type OAuthErrorClass = new (description?: string) => OAuthError;

const VALIDATION_ERROR_CLASS = Symbol('oauth:validation-error-class');

/**
 * Names the error a DTO's validation failures become, for endpoints whose spec says something other than
 * `invalid_request` (RFC 7591 §3.2.2: `invalid_client_metadata`).
 */
export function ValidationFailsWith(errorClass: OAuthErrorClass): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(VALIDATION_ERROR_CLASS, errorClass, target);
  };
}

class ValidationError400 extends InvalidRequestError {}

/** Maps a validation failure to the error class the DTO asked for, if any. */
class OAuthValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      const wanted = metadata.metatype
        ? (Reflect.getMetadata(VALIDATION_ERROR_CLASS, metadata.metatype) as OAuthErrorClass | undefined)
        : undefined;
      if (wanted && error instanceof ValidationError400) throw new wanted(error.description);
      throw error;
    }
  }
}

/**
 * A ValidationPipe whose failures are OAuth `invalid_request` errors naming the offending fields (or the DTO's
 * `@ValidationFailsWith` class). Unknown parameters are stripped, not refused: RFC 6749 §3.1 says the server
 * MUST ignore unrecognized parameters.
 */
export function createOAuthValidationPipe(): ValidationPipe {
  return new OAuthValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: false,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => new ValidationError400(describeValidationErrors(errors)),
  });
}
