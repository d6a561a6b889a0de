/**
 * The calculator's bounds, apart from the evaluator: the tool's input schema needs them in the server process,
 * which must not load mathjs (tens of MiB of heap) for a constant; only the worker evaluates.
 */
export const MAX_EXPRESSION_LENGTH = 500;
export const MAX_RESULT_LENGTH = 10_000;
