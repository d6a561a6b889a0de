import { Inject, Injectable, Module } from '@nestjs/common';
import { ConfigService, type ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { defineAppConfig } from './app-config';
import type { EnvSource } from './validate-config';

interface SampleConfig {
  port: number;
}

const sampleConfig = defineAppConfig('sample', (source: EnvSource): SampleConfig => {
  const port = Number(source.SAMPLE_PORT ?? 3000);
  if (!Number.isInteger(port)) throw new Error('SAMPLE_PORT: not a port');
  return { port };
});

@Injectable()
class NeedsConfig {
  constructor(
    @Inject(sampleConfig.KEY) readonly config: ConfigType<typeof sampleConfig>,
    readonly configService: ConfigService,
  ) {}
}

describe('defineAppConfig', () => {
  it('validates an env source by calling the namespace', () => {
    expect(sampleConfig({ SAMPLE_PORT: '4000' })).toEqual({ port: 4000 });
    expect(() => sampleConfig({ SAMPLE_PORT: 'x' })).toThrow(/SAMPLE_PORT/);
  });

  it("injects the boot's value under KEY, and nothing of process.env", async () => {
    process.env.SAMPLE_SECRET_FROM_ENV = 'leaked';
    const config = sampleConfig({ SAMPLE_PORT: '4100' });
    @Module({ imports: [sampleConfig.forRoot(config)], providers: [NeedsConfig] })
    class SampleModule {}
    const app = await NestFactory.createApplicationContext(SampleModule, { logger: false });
    try {
      const service = app.get(NeedsConfig);
      expect(service.config).toBe(config);
      expect(service.configService.get('SAMPLE_SECRET_FROM_ENV')).toBeUndefined();
    } finally {
      await app.close();
      delete process.env.SAMPLE_SECRET_FROM_ENV;
    }
  });
});
