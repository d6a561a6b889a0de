/**
 * A refusal whose message is safe and useful to show the caller (bad path, hostile expression, file too large).
 * Tools report it as a tool error (`isError: true`), resources and prompts as JSON-RPC -32602.
 */
export class Refusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refusal';
  }
}
