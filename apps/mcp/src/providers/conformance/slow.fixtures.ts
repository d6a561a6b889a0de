import { Injectable } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { Tool } from '../../registry/registry.decorators';
import { text } from './fixture-media';

/**
 * Not for the conformance suite: this project's own tests of calls in flight (the shutdown drain, limits on
 * running calls) need a call that lasts a known time. Registered with the fixtures, so never in production.
 */
@Injectable()
export class SlowFixtures {
  @Tool({
    name: 'test_slow_tool',
    description: 'Answers after the given number of milliseconds.',
    input: z.object({ ms: z.number().int().min(0).max(60_000) }),
  })
  async slow({ ms }: { ms: number }): Promise<CallToolResult> {
    // Unreferenced: a call still sleeping when the server stops must not keep the process alive.
    await sleep(ms, undefined, { ref: false });
    return text(`Answered after ${ms} ms`);
  }
}
