import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, getConfigToken, registerAs } from '@nestjs/config';
import type { EnvSource } from './validate-config';

/**
 * An app's validated config as a @nestjs/config namespace. Calling it validates an env source once at boot
 * (throwing ConfigValidationError); `forRoot(config)` registers the result under `KEY` for the whole app.
 */
export type AppConfig<T extends object> = ((source: EnvSource) => T) & {
  /** The injection token: `@Inject(x.KEY) config: ConfigType<typeof x>`. */
  readonly KEY: string;
  forRoot(config: T): Promise<DynamicModule>;
};

/**
 * Declares an app's config namespace, once per app:
 *
 *     export const mcpConfig = defineAppConfig('mcp', loadMcpConfig);
 *
 * Boot: `const config = mcpConfig(source)`, then `imports: [mcpConfig.forRoot(config)]` in the root module.
 * Services: `constructor(@Inject(mcpConfig.KEY) private readonly config: ConfigType<typeof mcpConfig>) {}`.
 */
export function defineAppConfig<T extends object>(
  namespace: string,
  load: (source: EnvSource) => T,
): AppConfig<T> {
  return Object.assign((source: EnvSource) => load(source), {
    KEY: getConfigToken(namespace),
    forRoot: (config: T) =>
      ConfigModule.forRoot({
        isGlobal: true,
        // The value was validated from the env source handed to the app; nothing else is ever read.
        ignoreEnvFile: true,
        ignoreEnvVars: true,
        skipProcessEnv: true,
        load: [registerAs(namespace, () => config)],
      }),
  });
}
