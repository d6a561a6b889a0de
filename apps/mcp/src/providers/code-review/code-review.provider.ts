import { Injectable } from '@nestjs/common';
import type { CallToolResult, GetPromptResult } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Prompt, Tool } from '../../registry/registry.decorators';
import { analyzeCode } from './code-metrics';

const MAX_CODE_LENGTH = 100_000;
/** Suggestions for completion/complete; any other value stays acceptable. */
const LANGUAGES = [
  'c',
  'cpp',
  'csharp',
  'go',
  'java',
  'javascript',
  'kotlin',
  'php',
  'python',
  'ruby',
  'rust',
  'shell',
  'sql',
  'swift',
  'typescript',
];
const FOCUSES = ['concurrency', 'error handling', 'performance', 'readability', 'security', 'testing'];
const startingWith = (options: readonly string[], value: string) =>
  Promise.resolve(options.filter((option) => option.startsWith(value.toLowerCase())));

const code = z.string().min(1).max(MAX_CODE_LENGTH).describe('The source code');
const language = z.string().max(40).optional().describe('Programming language, e.g. typescript or python');

function fenced(source: string, lang?: string): string {
  // A fence longer than any backtick run inside the code, so the code cannot close it early.
  const longestRun = Math.max(2, ...(source.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${(lang ?? '').replace(/[^\w+#.-]/g, '')}\n${source}\n${fence}`;
}

function userPrompt(description: string, text: string): GetPromptResult {
  return { description, messages: [{ role: 'user', content: { type: 'text', text } }] };
}

@Injectable()
export class CodeReviewProvider {
  @Tool({
    name: 'analyze_code',
    title: 'Analyze code',
    description:
      'Metrics for a code snippet: lines, functions, longest function, TODO/FIXME count, long lines, deepest nesting.',
    input: z.object({ code, language }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  })
  analyze(args: { code: string; language?: string }): Promise<CallToolResult> {
    const metrics = analyzeCode(args.code, args.language);
    return Promise.resolve({
      content: [{ type: 'text', text: JSON.stringify(metrics, null, 2) }],
      structuredContent: { ...metrics },
    });
  }

  @Prompt({
    name: 'code_review',
    title: 'Code review',
    description: 'Ask for a thorough review of a piece of code, optionally focused on one concern.',
    args: {
      code,
      language,
      focus: z.string().max(200).optional().describe('What to concentrate on, e.g. security or performance'),
    },
    complete: { language: 'completeLanguage', focus: 'completeFocus' },
  })
  review(args: { code: string; language?: string; focus?: string }): Promise<GetPromptResult> {
    const focus = args.focus ? `Concentrate on ${args.focus}. ` : '';
    return Promise.resolve(
      userPrompt(
        'Code review request',
        `Please review the following ${args.language ?? ''} code. ${focus}` +
          'Point out bugs, security problems, unclear names and missing tests, and suggest concrete changes.\n\n' +
          fenced(args.code, args.language),
      ),
    );
  }

  @Prompt({
    name: 'explain_code',
    title: 'Explain code',
    description: 'Ask for a step-by-step explanation of what a piece of code does.',
    args: { code, language },
    complete: { language: 'completeLanguage' },
  })
  explain(args: { code: string; language?: string }): Promise<GetPromptResult> {
    return Promise.resolve(
      userPrompt(
        'Code explanation request',
        `Explain what the following ${args.language ?? ''} code does, step by step, for a reader new to it.\n\n` +
          fenced(args.code, args.language),
      ),
    );
  }

  /** completion/complete for `language`: known language names starting with what was typed. */
  completeLanguage(value: string): Promise<string[]> {
    return startingWith(LANGUAGES, value);
  }

  /** completion/complete for `focus`. */
  completeFocus(value: string): Promise<string[]> {
    return startingWith(FOCUSES, value);
  }
}
