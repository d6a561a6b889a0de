import { Injectable } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Tool } from '../../registry/registry.decorators';
import type { CallContext } from '../../registry/registry.types';
import { Refusal } from '../../registry/refusal';
import { MathSandbox } from './math-sandbox.service';
import { MAX_EXPRESSION_LENGTH } from './math-limits';
import { describeValues } from './statistics';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

@Injectable()
export class MathProvider {
  constructor(private readonly sandbox: MathSandbox) {}

  @Tool({
    name: 'add',
    title: 'Add',
    description: 'Add two numbers.',
    input: z.object({ a: finite, b: finite }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  add({ a, b }: { a: number; b: number }): Promise<CallToolResult> {
    const sum = a + b;
    if (!Number.isFinite(sum)) throw new Refusal('The sum is not a finite number');
    return Promise.resolve({ ...text(String(sum)), structuredContent: { sum } });
  }

  @Tool({
    name: 'calculate',
    title: 'Calculate',
    description:
      'Evaluate a math expression with mathjs, e.g. "sqrt(2) * sin(pi / 4)" or "5 cm to inch". ' +
      'Parsing, imports, unit creation, user-defined functions and ranges are disabled; time and memory are bounded.',
    input: z.object({ expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  async calculate({ expression }: { expression: string }, ctx: CallContext): Promise<CallToolResult> {
    await ctx.log('debug', { event: 'calculate', length: expression.length });
    const result = await this.sandbox.evaluate(expression, ctx.sub);
    return { ...text(result), structuredContent: { expression, result } };
  }

  @Tool({
    name: 'statistics',
    title: 'Statistics',
    description: 'Count, sum, mean, median, sample standard deviation, min and max of a list of numbers.',
    input: z.object({ values: z.array(finite).min(1).max(10_000) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  statistics({ values }: { values: number[] }): Promise<CallToolResult> {
    const stats = describeValues(values);
    return Promise.resolve({ ...text(JSON.stringify(stats)), structuredContent: { ...stats } });
  }
}
