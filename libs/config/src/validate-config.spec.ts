import { IsInt, Max, Min } from 'class-validator';
import { CommonEnv } from './common-env';
import { ConfigValidationError, splitList, validateConfig } from './validate-config';

class SampleEnv extends CommonEnv {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;
}

describe('validateConfig', () => {
  it('applies defaults when variables are missing or empty', () => {
    const env = validateConfig(SampleEnv, { PORT: '', LOG_LEVEL: undefined });
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.NODE_ENV).toBe('development');
  });

  it('converts numbers from strings', () => {
    expect(validateConfig(SampleEnv, { PORT: '4000' }).PORT).toBe(4000);
  });

  it('names every bad variable in one error', () => {
    let caught: unknown;
    try {
      validateConfig(SampleEnv, { PORT: 'abc', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect((caught as Error).message).toMatch(/PORT/);
    expect((caught as Error).message).toMatch(/LOG_LEVEL/);
  });

  it('splits comma lists', () => {
    expect(splitList(' a, b ,,c')).toEqual(['a', 'b', 'c']);
  });
});
