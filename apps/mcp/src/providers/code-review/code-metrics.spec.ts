import { analyzeCode, LONG_LINE } from './code-metrics';

describe('analyzeCode', () => {
  it('measures a brace language', () => {
    const code = [
      'export function outer(a: number): number {',
      '  // TODO tidy',
      '  if (a > 1) {',
      '    for (let i = 0; i < a; i++) {',
      '      a--;',
      '    }',
      '  }',
      '  return a;',
      '}',
      '',
      'const inner = (x: number) => {',
      '  return x; // FIXME',
      '};',
      `// ${'x'.repeat(LONG_LINE)}`,
    ].join('\n');
    expect(analyzeCode(code, 'typescript')).toEqual({
      lines: 14,
      nonBlankLines: 13,
      functions: 2,
      longestFunction: 9,
      todoCount: 2,
      longLines: 1,
      deepestNesting: 3,
    });
  });

  it('ignores braces inside strings and comments', () => {
    expect(analyzeCode('const s = "{{{";\n// }}}\nfunction f() {\n  return s;\n}\n').deepestNesting).toBe(1);
  });

  it('measures an indentation language by indent', () => {
    const code = [
      'def f(x):',
      '    if x:',
      '        return 1',
      '    return 2',
      '',
      'def g():',
      '    pass',
    ].join('\n');
    expect(analyzeCode(code, 'python')).toEqual(
      expect.objectContaining({ functions: 2, longestFunction: 4, deepestNesting: 2, lines: 7 }),
    );
  });

  it('does not count control statements as functions', () => {
    expect(analyzeCode('if (a) {\n}\nwhile (b) {\n}\n').functions).toBe(0);
  });
});
