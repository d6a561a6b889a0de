export interface CodeMetrics {
  lines: number;
  nonBlankLines: number;
  functions: number;
  /** Lines in the longest function found (0 when none). */
  longestFunction: number;
  todoCount: number;
  /** Lines longer than LONG_LINE characters. */
  longLines: number;
  deepestNesting: number;
}

export const LONG_LINE = 100;

// Function starts across common languages: declarations, methods, arrows, def/fn/func.
const FUNCTION_START = [
  /\bfunction\b\s*\*?\s*[\w$]*\s*\(/,
  /(?:^|[=(,:]\s*)(?:async\s+)?(?:\([^()]*\)|[\w$]+)\s*=>/,
  /^\s*(?:async\s+)?def\s+\w+\s*\(/,
  /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+\w+/,
  /^\s*func\s+(?:\([^)]*\)\s*)?\w+\s*\(/,
  /^\s*(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*[\w$]+\s*\([^()]*\)\s*(?::\s*[\w$<>[\],\s|]+)?\s*\{/,
];
const CONTROL_WORDS = /^\s*(?:if|for|while|switch|catch|return|else|do|try)\b/;
const INDENTED_LANGUAGES = new Set(['python', 'py', 'yaml', 'yml']);

function isFunctionStart(line: string): boolean {
  return !CONTROL_WORDS.test(line) && FUNCTION_START.some((pattern) => pattern.test(line));
}

function indentOf(line: string): number {
  const match = /^[ \t]*/.exec(line)![0];
  return match.replace(/\t/g, '    ').length;
}

/** Brace languages: nesting by `{`/`}` depth; a function spans from its start line to its closing brace. */
function braceStructure(lines: string[]): { deepest: number; longest: number } {
  let depth = 0;
  let deepest = 0;
  let longest = 0;
  const open: { depth: number; line: number }[] = [];
  lines.forEach((line, index) => {
    const code = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '');
    if (isFunctionStart(code)) open.push({ depth, line: index });
    for (const char of code) {
      if (char === '{') deepest = Math.max(deepest, ++depth);
      if (char === '}') depth = Math.max(0, depth - 1);
    }
    while (open.length > 0 && depth <= open[open.length - 1].depth && code.includes('}')) {
      longest = Math.max(longest, index - open.pop()!.line + 1);
    }
  });
  return { deepest, longest };
}

/** Indentation languages: nesting by indent steps; a function spans until the indent returns to its level. */
function indentStructure(lines: string[]): { deepest: number; longest: number } {
  const steps = lines.filter((line) => line.trim()).map(indentOf);
  const unit = Math.min(...steps.filter((indent) => indent > 0), 4) || 4;
  let deepest = 0;
  let longest = 0;
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    deepest = Math.max(deepest, Math.floor(indentOf(line) / unit));
    if (!isFunctionStart(line)) return;
    let end = index;
    for (let next = index + 1; next < lines.length; next++) {
      if (!lines[next].trim()) continue;
      if (indentOf(lines[next]) <= indentOf(line)) break;
      end = next;
    }
    longest = Math.max(longest, end - index + 1);
  });
  return { deepest, longest };
}

/** Heuristic metrics for a snippet in any mainstream language; linear in its length. */
export function analyzeCode(code: string, language = ''): CodeMetrics {
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const structure = INDENTED_LANGUAGES.has(language.toLowerCase())
    ? indentStructure(lines)
    : braceStructure(lines);
  return {
    lines: lines.length,
    nonBlankLines: lines.filter((line) => line.trim()).length,
    functions: lines.filter(isFunctionStart).length,
    longestFunction: structure.longest,
    todoCount: (code.match(/\b(?:TODO|FIXME)\b/g) ?? []).length,
    longLines: lines.filter((line) => line.length > LONG_LINE).length,
    deepestNesting: structure.deepest,
  };
}
