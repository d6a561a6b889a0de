/** Why a guarded outbound fetch was refused or failed; the message is safe to show to the client. */
export class OutboundFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundFetchError';
  }
}
