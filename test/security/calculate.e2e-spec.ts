import {
  callTool,
  inBatches,
  startAttackStack,
  toolText,
  type AttackStack,
  type McpAnswer,
} from './support/attack-stack';

/**
 * `refused`: a tool error. `bounded`: a short answer (Infinity, NaN, a small matrix), computed in the sandbox.
 * `either`: deep nesting, answered or refused depending on how much stack the worker's parser frames take at
 * that moment (interpreted frames are larger than optimised ones); never a crash.
 */
type Expected = 'refused' | 'bounded' | 'either';

const SLOW = Array(8).fill('isPrime(9007199254740881)').join(' + ');
/** About half a second of work: slow, yet within the time limit, so no worker is killed and restarted. */
const HEAVY = 'isPrime(9007199254740881)';

const HOSTILE: [string, Expected][] = [
  // Reaching JavaScript through mathjs objects (prototype pollution, constructors, globals).
  ['constructor', 'refused'],
  ['cos.constructor', 'refused'],
  ['cos.constructor("return process")()', 'refused'],
  ['f = cos.constructor; f("return this")()', 'refused'],
  ['[].constructor', 'refused'],
  ['{}.constructor', 'refused'],
  ['{a: 1}["constructor"]', 'refused'],
  ['{a: 1}["__proto__"]', 'refused'],
  ['{"__proto__": {"polluted": 1}}', 'bounded'],
  ['x = {}; x["__proto__"] = 1', 'refused'],
  ['__proto__', 'refused'],
  ['toString', 'refused'],
  ['valueOf', 'refused'],
  ['hasOwnProperty("a")', 'refused'],
  ['prototype', 'refused'],
  ['this', 'refused'],
  ['globalThis', 'refused'],
  ['process.exit()', 'refused'],
  ['require("fs")', 'refused'],
  ['eval("1")', 'refused'],
  ['Function("return 1")()', 'refused'],
  ['cos.name', 'refused'],
  ['(sin)["name"]', 'refused'],
  ['\u0456mport({})', 'refused'],
  // The parser, the compiler and the configuration from inside an expression (mathjs security guide).
  ['import({x: 1}, {override: true})', 'refused'],
  ['evaluate("1+1")', 'refused'],
  ['parse("1+1")', 'refused'],
  ['compile("1+1")', 'refused'],
  ['createUnit("foo")', 'refused'],
  ['simplify("x+x")', 'refused'],
  ['derivative("x^2", "x")', 'refused'],
  ['rationalize("1/x")', 'refused'],
  ['resolve("x", {x: 1})', 'refused'],
  ['config({number: "BigNumber"})', 'refused'],
  ['chain(1)', 'refused'],
  ['typed("x", {})', 'refused'],
  ['help(sin)', 'refused'],
  ['reviver', 'refused'],
  // Recursion and user functions.
  ['f(x) = x; f(1)', 'refused'],
  ['f(x) = f(x); f(1)', 'refused'],
  ['map([1,2,3], f(x) = x)', 'refused'],
  [`${'('.repeat(240)}1${')'.repeat(240)}`, 'either'],
  [`${'-'.repeat(490)}1`, 'either'],
  // Huge allocations and unbounded loops.
  ['1:1000000000', 'refused'],
  ['sum(1:10)', 'refused'],
  ['range(1, 1e9)', 'refused'],
  ['zeros(1e5, 1e5)', 'refused'],
  ['ones(1e4, 1e4)', 'refused'],
  ['identity(1e5)', 'refused'],
  ['resize([1], [1e9])', 'refused'],
  ['subset([1], index(1e9), 1)', 'refused'],
  ['A = [1]; A[1e9] = 1', 'refused'],
  ['[1].resize([1e9])', 'refused'],
  ['kron([1,2],[3,4])', 'refused'],
  ['matrixFromFunction([3], f(i)=i)', 'refused'],
  ['combinations(1e9, 5e8)', 'refused'],
  ['permutations(1e6)', 'refused'],
  ['bignumber(1e7)', 'refused'],
  ['fraction(1, 3)', 'refused'],
  ['random()', 'refused'],
  ['randomInt(1, 10)', 'refused'],
  ['pickRandom([1, 2])', 'refused'],
  ['format(1, {notation: "fixed", precision: 1000000000})', 'refused'],
  [`a = [1,2,3,4,5,6,7,8]; ${'a = concat(a, a); '.repeat(26)} size(a)`, 'refused'],
  [SLOW, 'refused'],
  ['"a" + "b"', 'refused'],
  [`${'1+'.repeat(250)}1`, 'refused'],
  // Huge numbers: answered, bounded.
  ['9^9^9^9', 'bounded'],
  ['factorial(1e6)', 'bounded'],
  ['factorial(170.5)', 'bounded'],
  ['1e308 * 10', 'bounded'],
  ['1/0', 'bounded'],
  ['log(0)', 'bounded'],
  ['matrix([[1,2],[3,4]])^1000000000', 'bounded'],
  ['unit("5 m") ^ 1000000', 'bounded'],
  ['format(pi, 1000000)', 'bounded'],
];

/** What an answer must never contain: JavaScript internals, the environment, paths of this machine. */
const LEAK = /\[native code\]|PATH=|node_modules|\/home\/|\/tmp\/|function\s*\(|=>|process\.env/;

// Each file starts a whole stack, and some cases wait on worker processes: more than Jest's 5 s default.
jest.setTimeout(30_000);

/**
 * Hostile `calculate` expressions through the gateway, and the resource attacks of issue 16 #5: one caller
 * flooding the calculator must not starve another, and tool calls are rate limited per subject.
 */
describe('security: hostile calculate expressions and calculator exhaustion', () => {
  let stack: AttackStack;

  beforeAll(async () => {
    stack = await startAttackStack({
      mcp: {
        MCP_MATH_TIMEOUT_MS: '1500',
        MCP_MATH_MEMORY_MB: '32',
        MCP_MATH_WORKERS: '2',
        MCP_TOOL_RATE_LIMIT: '40',
        MCP_TOOL_RATE_WINDOW_MS: '60000',
        MCP_TOOL_MAX_CONCURRENT: '8',
      },
    });
  }, 60_000);
  afterAll(() => stack?.stop());

  it(`refuses or bounds ${HOSTILE.length} hostile expressions, leaking nothing, and keeps serving`, async () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60);
    // Four callers, so the per-subject rate limit (40 a minute here) is not what refuses them.
    const tokens = await Promise.all([0, 1, 2, 3].map((n) => stack.mint(`hostile-${n}`)));
    const outcomes = await inBatches(HOSTILE, 6, async ([expression, expected]) => {
      const token = tokens[HOSTILE.findIndex(([e]) => e === expression) % tokens.length];
      const answer = await callTool(stack, token, 'calculate', { expression });
      const text = toolText(answer);
      const got =
        answer.message?.result?.isError === true ? 'refused' : text.length < 200 ? 'bounded' : 'unbounded';
      return {
        expression: expression.slice(0, 50),
        expected,
        got,
        rateLimited: /Rate limited/.test(text),
        leaked: LEAK.test(answer.text),
      };
    });
    expect(
      outcomes.filter(
        (outcome) =>
          (outcome.expected === 'either' ? outcome.got === 'unbounded' : outcome.got !== outcome.expected) ||
          outcome.leaked ||
          outcome.rateLimited,
      ),
    ).toEqual([]);
    // Nothing stuck to the evaluator: no polluted prototype, and ordinary math still works.
    const probe = await callTool(stack, tokens[0], 'calculate', { expression: '{a: 1}.polluted' });
    expect(toolText(probe)).not.toBe('1');
    expect(toolText(await callTool(stack, tokens[1], 'calculate', { expression: '2 * (3 + 4) ^ 2' }))).toBe(
      '98',
    );
  }, 60_000);

  it("answers another caller's 1+1 in its turn while one caller floods the calculator with heavy expressions", async () => {
    const mallory = await stack.mint('mallory');
    const alice = await stack.mint('alice');
    const finished: string[] = [];
    const flood = Array.from({ length: 12 }, (_, i) =>
      callTool(stack, mallory, 'calculate', { expression: HEAVY }, i).then((answer) => {
        finished.push(/at once/.test(toolText(answer)) ? 'mallory-refused' : 'mallory');
        return answer;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const victim = await callTool(stack, alice, 'calculate', { expression: '1 + 1' });
    finished.push('alice');
    const answers: McpAnswer[] = await Promise.all(flood);
    expect(toolText(victim)).toBe('2');
    // At most 8 of mallory's run or wait at once; the rest are told to retry.
    const refused = answers.filter((answer) => /at most 8 tool calls may run at once/.test(toolText(answer)));
    expect(refused).toHaveLength(4);
    // Alice waited for the two running expressions and at most one waiting one per worker, not for all eight.
    const calculated = finished.filter((entry) => entry !== 'mallory-refused');
    expect(calculated.indexOf('alice')).toBeLessThanOrEqual(4);
  }, 60_000);

  it('rate limits tool calls per subject: a flooding caller is told when to retry, others are served', async () => {
    const flooder = await stack.mint('flooder');
    const answers = await inBatches(
      Array.from({ length: 45 }, (_, i) => i),
      8,
      (i) => callTool(stack, flooder, 'add', { a: i, b: 1 }, i),
    );
    const limited = answers.filter((answer) =>
      /^Rate limited: at most 40 tool calls per 60 s; retry in \d+ s$/.test(toolText(answer)),
    );
    expect(limited).toHaveLength(5);
    expect(limited.every((answer) => answer.status === 200 && answer.message?.result?.isError === true)).toBe(
      true,
    );
    const bystander = await callTool(stack, await stack.mint('bystander'), 'add', { a: 1, b: 1 });
    expect(bystander.message?.result).toMatchObject({ structuredContent: { sum: 2 } });
  });
});
