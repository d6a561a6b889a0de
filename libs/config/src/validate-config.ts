import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export type EnvSource = Record<string, string | undefined>;

type ConfigClass<T> = new () => T;

/** Thrown at boot when a variable is malformed; the message names every offending variable. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const messages = Object.values(error.constraints ?? {});
    const shown = error.value === undefined ? '' : ` (got ${JSON.stringify(error.value)})`;
    return messages.map((message) => `${error.property}: ${message}${shown}`);
  });
}

/**
 * Validates an environment-like record against a class-validator class whose property names are the
 * variable names (give every property an explicit type annotation: implicit conversion reads it from
 * decorator metadata). Empty strings count as unset so that `FOO=` in a .env file falls back to the default.
 */
export function validateConfig<T extends object>(schema: ConfigClass<T>, env: EnvSource): T {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const instance = plainToInstance(schema, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigValidationError(describe(errors));
  return instance;
}

/** Splits a comma-separated variable into trimmed, non-empty items. */
export function splitList(value: string | string[] | undefined): string[] {
  if (Array.isArray(value)) return value;
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
