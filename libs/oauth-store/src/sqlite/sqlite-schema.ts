/*
 * Schema migrations, applied in order at boot; PRAGMA user_version records how many ran. Append, never edit:
 * a database written by this version must open in every later one. Times are epoch milliseconds; `data` holds
 * the record's immutable JSON, columns the parts that change or are searched. Keys of codes and refresh tokens
 * are hashes computed by the app, so the file holds no usable token.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX clients_by_eviction ON clients (last_used_at IS NOT NULL, expires_at);
  CREATE INDEX clients_by_expiry ON clients (expires_at);

  CREATE TABLE consents (
    subject TEXT NOT NULL,
    client_id TEXT NOT NULL,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (subject, client_id)
  );
  CREATE INDEX consents_by_expiry ON consents (expires_at);

  CREATE TABLE grants (
    grant_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    access_tokens TEXT NOT NULL
  );
  CREATE INDEX grants_by_expiry ON grants (expires_at);

  CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    parent_id TEXT,
    consumed_at INTEGER,
    successor_used_id TEXT
  );
  CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

  CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER
  );
  CREATE INDEX codes_by_expiry ON codes (expires_at);

  CREATE TABLE interactions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    subject TEXT,
    auth_time INTEGER,
    consumed_at INTEGER
  );
  CREATE INDEX interactions_by_expiry ON interactions (expires_at);

  CREATE TABLE revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at);
  `,
  // Federation: who a provider said signed in (on the interaction), sign-ins in flight, kept provider tokens.
  `
  ALTER TABLE interactions ADD COLUMN federated TEXT;

  CREATE TABLE upstream_logins (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    consumed_at INTEGER
  );
  CREATE INDEX upstream_logins_by_expiry ON upstream_logins (expires_at);

  CREATE TABLE upstream_tokens (
    grant_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX upstream_tokens_by_expiry ON upstream_tokens (expires_at);
  `,
  // Revocation is per grant (access tokens carry grant_id): no per-token list or deny-list any more.
  `
  ALTER TABLE grants DROP COLUMN access_tokens;
  DROP TABLE revoked_tokens;
  `,
  // Operators' lookups (admin CLI): a client's grants (revoking a client revokes them all) and a subject's.
  `
  ALTER TABLE grants ADD COLUMN client_id TEXT;
  ALTER TABLE grants ADD COLUMN subject TEXT;
  ALTER TABLE grants ADD COLUMN created_at INTEGER;
  UPDATE grants SET
    client_id = json_extract(data, '$.clientId'),
    subject = json_extract(data, '$.subject'),
    created_at = json_extract(data, '$.createdAt');
  CREATE INDEX grants_by_client ON grants (client_id, created_at);
  CREATE INDEX grants_by_subject ON grants (subject, created_at);
  `,
];

/** Every table with an expires_at column: the periodic purge deletes their expired rows. */
export const EXPIRING_TABLES = [
  'clients',
  'consents',
  'grants',
  'refresh_tokens',
  'codes',
  'interactions',
  'upstream_logins',
  'upstream_tokens',
] as const;
