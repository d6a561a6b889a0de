import { Transform } from 'class-transformer';

/**
 * Reads `true`/`false` literally. Implicit conversion would turn the string "false" into true, and any other
 * string is left as it is so that `@IsBoolean()` names the variable.
 */
export const EnvBoolean = (): PropertyDecorator =>
  Transform(({ obj, key }) => {
    const raw: unknown = (obj as Record<string, unknown>)[key];
    if (raw === 'true' || raw === true) return true;
    if (raw === 'false' || raw === false) return false;
    return raw;
  });
