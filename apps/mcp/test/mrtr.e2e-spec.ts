import { startHarness, type Harness } from './support/mcp-harness';
import { postModern } from './support/modern-request';

const TOOL = 'test_input_required_result_request_state';
const confirmed = { confirm: { action: 'accept', content: { ok: true } } };
/** The fixture asks through elicitation, which a client must declare (otherwise -32021). */
const canElicit = { _meta: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } } };

/**
 * Multi-round-trip requests (MCP 2026-07-28 basic/patterns/mrtr): the `requestState` a client echoes is
 * attacker-controlled, so it must prove it was minted here, for this principal and method, recently.
 */
describe('mcp 2026-07-28 requestState integrity', () => {
  let harness: Harness;
  const token = (sub: string, clientId = 'test-client') =>
    harness.authz.token({ base: harness.base, sub, clientId });

  beforeAll(async () => {
    harness = await startHarness({ MCP_CONFORMANCE_FIXTURES: 'true', MCP_REQUEST_STATE_TTL_SECONDS: '10' });
  }, 30_000);

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => harness?.close());

  async function stateFor(sub: string): Promise<string> {
    const first = await postModern(harness.base, await token(sub), 'tools/call', {
      name: TOOL,
      arguments: {},
      ...canElicit,
    });
    expect(first.message.result).toMatchObject({
      resultType: 'input_required',
      inputRequests: { confirm: {} },
    });
    return first.message.result!.requestState as string;
  }

  const retry = async (bearer: string, requestState: string) =>
    postModern(harness.base, bearer, 'tools/call', {
      name: TOOL,
      arguments: {},
      inputResponses: confirmed,
      requestState,
      ...canElicit,
    });

  it('completes the flow for the principal it was minted for', async () => {
    const state = await stateFor('alice');
    const done = await retry(await token('alice'), state);
    expect(done.message.result).toMatchObject({ resultType: 'complete' });
    expect(JSON.stringify(done.message.result!.content)).toContain('state-ok');
  });

  it.each([
    ['another subject', () => token('mallory')],
    ['another client of the same subject', () => token('alice', 'other-client')],
  ])('refuses state replayed by %s with -32602', async (_who, other) => {
    const state = await stateFor('alice');
    const stolen = await retry(await other(), state);
    expect(stolen.message.error).toMatchObject({ code: -32602 });
  });

  it('refuses altered state with -32602', async () => {
    const state = await stateFor('alice');
    const [body, mac] = [state.slice(0, state.lastIndexOf('.')), state.slice(state.lastIndexOf('.') + 1)];
    const flipped = `${body.slice(0, -2)}${body.at(-2) === 'A' ? 'B' : 'A'}${body.at(-1)}.${mac}`;
    expect((await retry(await token('alice'), flipped)).message.error).toMatchObject({ code: -32602 });
  });

  it('refuses state echoed on another method', async () => {
    const state = await stateFor('alice');
    const elsewhere = await postModern(harness.base, await token('alice'), 'prompts/get', {
      name: 'test_input_required_result_prompt',
      arguments: {},
      requestState: state,
      ...canElicit,
    });
    expect(elsewhere.message.error).toMatchObject({ code: -32602 });
  });

  it('refuses state older than MCP_REQUEST_STATE_TTL_SECONDS', async () => {
    const state = await stateFor('alice');
    const bearer = await token('alice');
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 11_000);
    expect((await retry(bearer, state)).message.error).toMatchObject({ code: -32602 });
  });
});
