import { all, create, type MathNode } from 'mathjs';
import { Refusal } from '../../registry/refusal';
import { MAX_EXPRESSION_LENGTH, MAX_RESULT_LENGTH } from './math-limits';

export { MAX_EXPRESSION_LENGTH, MAX_RESULT_LENGTH };

/**
 * Reach the parser, the compiler or global configuration from inside an expression (mathjs "Security" guide).
 * These are also replaced in the instance, as defence in depth.
 */
const SECURITY_SENSITIVE = [
  'import',
  'createUnit',
  'evaluate',
  'parse',
  'compile',
  'simplify',
  'simplifyConstant',
  'simplifyCore',
  'derivative',
  'rationalize',
  'resolve',
  'reviver',
  'replacer',
  'config',
  'chain',
  'typed',
  'help',
] as const;

/**
 * Allocate or loop without a bound that a short expression can set (`zeros(1e5,1e5)`, `combinations(1e9,5e8)`,
 * `factorial(bignumber(1e7))`). Refused by name only: mathjs uses several of them internally.
 */
const UNBOUNDED = [
  'range',
  'zeros',
  'ones',
  'identity',
  'resize',
  'kron',
  'matrixFromFunction',
  'random',
  'randomInt',
  'pickRandom',
  'bignumber',
  'fraction',
  'combinations',
  'combinationsWithRep',
  'permutations',
  'multinomial',
  'stirlingS2',
  'bellNumbers',
  'catalan',
  'composition',
  'setPowerset',
  'setCartesian',
  // Writing past the end of a matrix grows it to the index given: `subset([1], index(1e9), 1)`.
  'subset',
] as const;

const DISABLED = new Set<string>([...SECURITY_SENSITIVE, ...UNBOUNDED]);

/** Node kinds refused before evaluation: user functions allow unbounded recursion, `a:b` unbounded ranges. */
const REFUSED_NODES = new Set(['FunctionAssignmentNode', 'RangeNode']);

const math = create(all, { number: 'number' });
// mathjs builds functions lazily from the namespace; build them all now, so none is later wired to a stub.
for (const name of Object.keys(math)) {
  try {
    void (math as unknown as Record<string, unknown>)[name];
  } catch {
    // A factory that cannot be built here is simply unavailable.
  }
}
// Captured before they are disabled inside expressions: this module alone may parse.
const parse = math.parse.bind(math);
const format = math.format.bind(math);
math.import(
  Object.fromEntries(
    SECURITY_SENSITIVE.filter((name) => name !== 'typed').map((name) => [
      name,
      () => {
        throw new Refusal(`Function ${name} is disabled in expressions`);
      },
    ]),
  ),
  { override: true },
);

/**
 * `A[1e9] = 1` and `A.resize([1e9])` make mathjs grow an array to that length, which V8 cannot survive even
 * inside a memory-limited worker (a fatal "invalid table size", not a catchable heap limit). A calculator needs
 * neither indexed assignment nor method calls.
 */
function refuseResizing(node: MathNode): void {
  const { index, fn } = node as MathNode & { index?: unknown; fn?: MathNode };
  if (node.type === 'AssignmentNode' && index) {
    throw new Refusal('Expression refused: assigning into a matrix or object is not allowed');
  }
  if (node.type === 'FunctionNode' && fn && fn.type !== 'SymbolNode') {
    throw new Refusal('Expression refused: method calls are not allowed');
  }
}

/** Parses and evaluates a math expression with mathjs (never `eval`), refusing anything unbounded. */
export function evaluateExpression(expression: string): string {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new Refusal(`Expression refused: longer than ${MAX_EXPRESSION_LENGTH} characters`);
  }
  let node: MathNode;
  try {
    node = parse(expression);
  } catch (error) {
    throw new Refusal(`Invalid expression: ${(error as Error).message}`);
  }
  node.traverse((child) => {
    if (REFUSED_NODES.has(child.type)) throw new Refusal(`Expression refused: ${child.type} is not allowed`);
    refuseResizing(child);
    // Every way to name a function (call, argument, assignment) is a SymbolNode.
    const name = (child as MathNode & { name?: string }).name;
    if (child.type === 'SymbolNode' && name !== undefined && DISABLED.has(name)) {
      throw new Refusal(`Function ${name} is disabled in expressions`);
    }
  });
  let value: unknown;
  try {
    value = node.compile().evaluate({});
  } catch (error) {
    if (error instanceof Refusal) throw error;
    // Includes stack overflows from deeply nested input: a RangeError is just another refusal here.
    throw new Refusal(`Cannot evaluate expression: ${(error as Error).message}`);
  }
  if (typeof value === 'function') throw new Refusal('Expression refused: the result is a function');
  const text = format(value, { precision: 14 });
  if (text.length > MAX_RESULT_LENGTH) throw new Refusal('Result refused: larger than the result size limit');
  return text;
}
