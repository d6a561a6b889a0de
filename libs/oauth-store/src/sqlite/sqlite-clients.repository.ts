import { Inject, Injectable } from '@nestjs/common';
import { byRegistration, type ClientRecord, type ConsentRecord, type StoredClientRecord } from '../records';
import { ClientRepository, ConsentRepository } from '../repositories';
import { OAUTH_STORE_OPTIONS, type StoreLimits } from '../store-options';
import { SqliteDatabase } from './sqlite-database';

interface ClientRow {
  data: string;
  expires_at: number;
  last_used_at: number | null;
}

function toClient(row: ClientRow): ClientRecord {
  return {
    ...(JSON.parse(row.data) as ClientRecord),
    expiresAt: row.expires_at,
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
  };
}

@Injectable()
export class SqliteClientRepository extends ClientRepository {
  constructor(
    private readonly db: SqliteDatabase,
    @Inject(OAUTH_STORE_OPTIONS) private readonly limits: StoreLimits,
  ) {
    super();
  }

  async find(clientId: string): Promise<ClientRecord | undefined> {
    const row = this.db.get<ClientRow>(
      'SELECT data, expires_at, last_used_at FROM clients WHERE client_id = ? AND expires_at > ?',
      clientId,
      Date.now(),
    );
    return row && toClient(row);
  }

  async list(): Promise<ClientRecord[]> {
    return this.db
      .all<ClientRow>('SELECT data, expires_at, last_used_at FROM clients WHERE expires_at > ?', Date.now())
      .map(toClient)
      .sort(byRegistration);
  }

  /** Evicts, when full, the never-used client that expires first, else the client that expires first. */
  async save(client: StoredClientRecord): Promise<void> {
    const now = Date.now();
    const { expiresAt, lastUsedAt: _lastUsedAt, ...data } = client;
    await this.db.write(() =>
      this.db.transaction(() => {
        this.db.run('DELETE FROM clients WHERE client_id = ? OR expires_at <= ?', client.clientId, now);
        if (expiresAt <= now) return;
        const live = this.db.get<{ n: number }>('SELECT count(*) AS n FROM clients')!.n;
        const excess = live - this.limits.maxClients + 1;
        if (excess > 0) {
          this.db.run(
            `DELETE FROM clients WHERE client_id IN
               (SELECT client_id FROM clients ORDER BY last_used_at IS NOT NULL, expires_at LIMIT ?)`,
            excess,
          );
        }
        this.db.run(
          'INSERT INTO clients (client_id, data, expires_at) VALUES (?, ?, ?)',
          client.clientId,
          JSON.stringify(data),
          expiresAt,
        );
      }),
    );
  }

  async markUsed(clientId: string, at: number, expiresAt: number): Promise<void> {
    await this.db.write(() =>
      this.db.run(
        'UPDATE clients SET last_used_at = ?, expires_at = max(expires_at, ?) WHERE client_id = ? AND expires_at > ?',
        at,
        expiresAt,
        clientId,
        Date.now(),
      ),
    );
  }

  async delete(clientId: string): Promise<void> {
    await this.db.write(() => this.db.run('DELETE FROM clients WHERE client_id = ?', clientId));
  }

  async count(): Promise<number> {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM clients WHERE expires_at > ?', Date.now())!
      .n;
  }
}

@Injectable()
export class SqliteConsentRepository extends ConsentRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  async find(subject: string, clientId: string): Promise<ConsentRecord | undefined> {
    const row = this.db.get<{ data: string }>(
      'SELECT data FROM consents WHERE subject = ? AND client_id = ? AND expires_at > ?',
      subject,
      clientId,
      Date.now(),
    );
    return row && (JSON.parse(row.data) as ConsentRecord);
  }

  async save(consent: ConsentRecord): Promise<void> {
    await this.db.write(() =>
      this.db.run(
        `INSERT INTO consents (subject, client_id, data, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (subject, client_id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
        consent.subject,
        consent.clientId,
        JSON.stringify(consent),
        consent.expiresAt,
      ),
    );
  }
}
