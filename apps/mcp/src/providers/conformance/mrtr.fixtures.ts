import { Injectable } from '@nestjs/common';
import {
  acceptedContent,
  inputRequired,
  inputResponse,
  type CallToolResult,
  type ClientCapabilities,
  type GetPromptResult,
  type InputRequests,
  type InputRequiredResult,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { Prompt, Tool } from '../../registry/registry.decorators';
import type { CallContext } from '../../registry/registry.types';
import { RequestStateService } from '../../registry/request-state.service';
import { text } from './fixture-media';

type Outcome = Promise<CallToolResult | InputRequiredResult>;
const NO_ARGS = z.object({});
const CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';

const askFor = (field: string, message: string, type = 'string') =>
  inputRequired.elicit({
    message,
    requestedSchema: { type: 'object', properties: { [field]: { type } }, required: [field] },
  } as Parameters<typeof inputRequired.elicit>[0]);
const askCapital = () =>
  inputRequired.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
    maxTokens: 100,
  });

/** The text of a sampling answer, or of the listed roots, from the responses a retry carried. */
function answerText(ctx: CallContext, key: string): string | undefined {
  const view = inputResponse(ctx.mcp.mcpReq.inputResponses, key);
  if (view.kind === 'sampling') {
    const content = Array.isArray(view.result.content) ? view.result.content[0] : view.result.content;
    return content?.type === 'text' ? content.text : JSON.stringify(content);
  }
  if (view.kind === 'roots') return view.roots.map((root) => root.uri).join(', ');
  return undefined;
}

/**
 * Multi-round-trip fixtures (MCP 2026-07-28 basic/patterns/mrtr) for the input-required-result-* scenarios:
 * write-once handlers that read what the client's retry carried, ask for what is still missing, and keep their
 * place in a signed, principal-bound `requestState`. Test fixtures only (MCP_CONFORMANCE_FIXTURES).
 */
@Injectable()
export class MrtrFixtures {
  constructor(private readonly state: RequestStateService) {}

  @Tool({ name: 'test_input_required_result_elicitation', description: 'Asks for a name.', input: NO_ARGS })
  elicitation(_args: unknown, ctx: CallContext): Outcome {
    const answer = acceptedContent(
      ctx.mcp.mcpReq.inputResponses,
      'user_name',
      z.object({ name: z.string() }),
    );
    if (!answer)
      return Promise.resolve(
        inputRequired({ inputRequests: { user_name: askFor('name', 'What is your name?') } }),
      );
    return Promise.resolve(text(`Hello, ${answer.name}!`));
  }

  @Tool({
    name: 'test_input_required_result_sampling',
    description: 'Asks the client LLM a question.',
    input: NO_ARGS,
  })
  sampling(_args: unknown, ctx: CallContext): Outcome {
    const answer = answerText(ctx, 'capital_question');
    if (answer === undefined)
      return Promise.resolve(inputRequired({ inputRequests: { capital_question: askCapital() } }));
    return Promise.resolve(text(`The client's model answered: ${answer}`));
  }

  @Tool({
    name: 'test_input_required_result_list_roots',
    description: "Asks for the client's roots.",
    input: NO_ARGS,
  })
  listRoots(_args: unknown, ctx: CallContext): Outcome {
    const roots = answerText(ctx, 'client_roots');
    if (roots === undefined) {
      return Promise.resolve(inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } }));
    }
    return Promise.resolve(text(`Client roots: ${roots}`));
  }

  @Tool({
    name: 'test_input_required_result_request_state',
    description: 'Confirms with state.',
    input: NO_ARGS,
  })
  async requestState(_args: unknown, ctx: CallContext): Outcome {
    const state = ctx.mcp.mcpReq.requestState<{ asked?: string }>();
    const confirmed = acceptedContent(
      ctx.mcp.mcpReq.inputResponses,
      'confirm',
      z.object({ ok: z.boolean() }),
    );
    if (state?.asked === 'confirm' && confirmed) return text(`state-ok: confirmed=${confirmed.ok}`);
    return inputRequired({
      inputRequests: { confirm: askFor('ok', 'Please confirm', 'boolean') },
      requestState: await this.state.mint({ asked: 'confirm' }, ctx.mcp),
    });
  }

  @Tool({
    name: 'test_input_required_result_tampered_state',
    description: 'Rejects altered state.',
    input: NO_ARGS,
  })
  tampered(_args: unknown, ctx: CallContext): Outcome {
    return this.requestState(_args, ctx);
  }

  @Tool({
    name: 'test_input_required_result_multiple_inputs',
    description: 'Asks three things at once.',
    input: NO_ARGS,
  })
  async multipleInputs(_args: unknown, ctx: CallContext): Outcome {
    const name = acceptedContent(ctx.mcp.mcpReq.inputResponses, 'user_name', z.object({ name: z.string() }));
    const greeting = answerText(ctx, 'greeting');
    const roots = answerText(ctx, 'client_roots');
    if (
      ctx.mcp.mcpReq.requestState() !== undefined &&
      name &&
      greeting !== undefined &&
      roots !== undefined
    ) {
      return text(`${greeting} ${name.name} (roots: ${roots})`);
    }
    const greet = inputRequired.createMessage({
      messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
      maxTokens: 50,
    });
    return inputRequired({
      inputRequests: {
        user_name: askFor('name', 'What is your name?'),
        greeting: greet,
        client_roots: inputRequired.listRoots(),
      },
      requestState: await this.state.mint({ asked: 'all' }, ctx.mcp),
    });
  }

  @Tool({
    name: 'test_input_required_result_multi_round',
    description: 'Asks two things in turn.',
    input: NO_ARGS,
  })
  async multiRound(_args: unknown, ctx: CallContext): Outcome {
    const state = ctx.mcp.mcpReq.requestState<{ round: number; name?: string }>();
    const responses = ctx.mcp.mcpReq.inputResponses;
    if (state?.round === 2) {
      const color = acceptedContent(responses, 'step2', z.object({ color: z.string() }));
      if (color) return text(`${state.name} likes ${color.color}`);
    }
    const step1 =
      state?.round === 1 ? acceptedContent(responses, 'step1', z.object({ name: z.string() })) : undefined;
    if (step1 || state?.round === 2) {
      const name = step1?.name ?? state?.name;
      return inputRequired({
        inputRequests: { step2: askFor('color', 'Step 2: What is your favorite color?') },
        requestState: await this.state.mint({ round: 2, name }, ctx.mcp),
      });
    }
    return inputRequired({
      inputRequests: { step1: askFor('name', 'Step 1: What is your name?') },
      requestState: await this.state.mint({ round: 1 }, ctx.mcp),
    });
  }

  /** Asks only through the capabilities the request declared (spec: servers MUST NOT rely on others). */
  @Tool({ name: 'test_input_required_result_capabilities', description: 'Asks what it may.', input: NO_ARGS })
  capabilities(_args: unknown, ctx: CallContext): Outcome {
    if (
      answerText(ctx, 'capital_question') !== undefined ||
      acceptedContent(ctx.mcp.mcpReq.inputResponses, 'name')
    ) {
      return Promise.resolve(text('Thanks'));
    }
    const envelope = (ctx.mcp.mcpReq.envelope ?? {}) as Record<string, unknown>;
    const declared = (envelope[CAPABILITIES_KEY] ?? {}) as ClientCapabilities;
    const inputRequests: InputRequests = {};
    if (declared.sampling) inputRequests.capital_question = askCapital();
    if (declared.elicitation) inputRequests.name = askFor('name', 'What is your name?');
    if (Object.keys(inputRequests).length === 0)
      return Promise.resolve(text('The client can answer nothing'));
    return Promise.resolve(inputRequired({ inputRequests }));
  }

  /** Needs sampling whatever the client declared: the SDK refuses with -32021 when it was not. */
  @Tool({ name: 'test_missing_capability', description: 'Needs the sampling capability.', input: NO_ARGS })
  missingCapability(): Outcome {
    return Promise.resolve(inputRequired({ inputRequests: { capital_question: askCapital() } }));
  }

  /** Its answer stream carries an input request as a result, never a request of its own. */
  @Tool({ name: 'test_streaming_elicitation', description: 'Streams, then asks for input.', input: NO_ARGS })
  async streamingElicitation(_args: unknown, ctx: CallContext): Outcome {
    await ctx.progress(0, 1, 'about to ask');
    if (acceptedContent(ctx.mcp.mcpReq.inputResponses, 'confirm')) return text('Streaming elicitation done');
    return inputRequired({ inputRequests: { confirm: askFor('ok', 'Continue?', 'boolean') } });
  }

  @Prompt({
    name: 'test_input_required_result_prompt',
    description: 'A prompt that asks for context.',
    args: {},
  })
  prompt(_args: unknown, ctx: CallContext): Promise<GetPromptResult | InputRequiredResult> {
    const answer = acceptedContent(
      ctx.mcp.mcpReq.inputResponses,
      'user_context',
      z.object({ context: z.string() }),
    );
    if (!answer) {
      return Promise.resolve(
        inputRequired({
          inputRequests: { user_context: askFor('context', 'What context should the prompt use?') },
        }),
      );
    }
    return Promise.resolve({
      messages: [{ role: 'user', content: { type: 'text', text: `Use this context: ${answer.context}` } }],
    });
  }
}
