/** Metadata key holding the scopes a handler (or every handler of a class) requires. */
export const REQUIRED_SCOPES = 'app:required-scopes';
