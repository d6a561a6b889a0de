import { Refusal } from '../../registry/refusal';
import { evaluateExpression, MAX_EXPRESSION_LENGTH, MAX_RESULT_LENGTH } from './safe-math';

describe('evaluateExpression', () => {
  it.each([
    ['1 + 2 * 3', '7'],
    ['sqrt(2) ^ 2', '2'],
    ['5 cm to mm', '50 mm'],
    ['det([1, 2; 3, 4])', '-2'],
    ['inv([2, 0; 0, 4])', '[[0.5, 0], [0, 0.25]]'],
    ['mean([1, 2, 3, 4])', '2.5'],
    ['1 / 3', '0.33333333333333'],
  ])('evaluates %s', (expression, expected) => {
    expect(evaluateExpression(expression)).toBe(expected);
  });

  it.each([
    'import({a: 1}, {override: true})',
    'createUnit("knot", "0.514444 m/s")',
    'evaluate("1")',
    'parse("1")',
    'compile("1")',
    'simplify("2x + x")',
    'derivative("x^2", "x")',
    'config({number: "BigNumber"})',
    'typed("f", {})',
    'zeros(1e5, 1e5)',
    'identity(1e5)',
    'range(1, 1e9)',
    'random([1e5, 1e5])',
    'factorial(bignumber(1e7))',
    'combinations(1e9, 5e8)',
    'setCartesian([1,2], [3,4])',
    'map([1, 2], zeros)',
    'z = ones; 1',
  ])('refuses the disabled function in %s', (expression) => {
    expect(() => evaluateExpression(expression)).toThrow(/is disabled in expressions/);
  });

  it('refuses user-defined functions and ranges before evaluating anything', () => {
    expect(() => evaluateExpression('f(n) = f(n - 1) + f(n - 1); f(50)')).toThrow(/FunctionAssignmentNode/);
    expect(() => evaluateExpression('sum(1:1e9)')).toThrow(/RangeNode/);
  });

  it.each([
    ['indexed assignment', 'A = [1, 2]; A[1e9] = 1; 1', /assigning into a matrix/],
    ['property assignment', 'x = {a: 1}; x.b = 2', /assigning into a matrix/],
    ['method calls', 'A = matrix([1, 2]); A.resize([1e9])', /method calls/],
    ['subset replacement', 'subset([1], index(1e9), 1)', /subset is disabled/],
  ])('refuses %s, which would grow an array past what V8 survives', (_label, expression, message) => {
    expect(() => evaluateExpression(expression)).toThrow(message);
  });

  it('bounds the expression length and the result size', () => {
    expect(() => evaluateExpression('1+'.repeat(MAX_EXPRESSION_LENGTH) + '1')).toThrow(/longer than/);
    // A literal just under the length limit cannot build a result over the result limit…
    expect(evaluateExpression(`[${Array(45).fill('123456789').join(',')}]`).length).toBeLessThan(
      MAX_RESULT_LENGTH,
    );
    // …but a legal product of literals can: diag of a 200-vector is a 200x200 matrix.
    const vector = `[${Array(200).fill('1').join(',')}]`;
    expect(() => evaluateExpression(`diag(${vector})`)).toThrow(/Result refused/);
  });

  it('turns every failure into a Refusal, including deep nesting and property access', () => {
    for (const expression of [
      '2 +* 3',
      '('.repeat(240) + '1' + ')'.repeat(240),
      'cos.constructor',
      'sin',
      'undefinedSymbol + 1',
    ]) {
      let caught: unknown;
      try {
        evaluateExpression(expression);
      } catch (error) {
        caught = error;
      }
      if (caught !== undefined) expect(caught).toBeInstanceOf(Refusal);
    }
    expect(() => evaluateExpression('cos.constructor("return process")')).toThrow(Refusal);
    expect(() => evaluateExpression('sin')).toThrow(/result is a function/);
  });
});
