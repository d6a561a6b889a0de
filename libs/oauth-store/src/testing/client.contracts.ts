import type { ClientRecord } from '../records';
import type { ClientRepository, ConsentRepository } from '../repositories';
import { uniqueId, withRepository, type RepositoryFactory } from './contract-helpers';

/*
 * Backend-neutral behaviour every repository implementation must show. A backend's spec calls these with a
 * factory: `describeGrantRepositoryContract('redis', async () => ({ repository, dispose }))`.
 */

export function describeClientRepositoryContract(name: string, factory: RepositoryFactory<ClientRepository>) {
  describe(`ClientRepository contract (${name})`, () => {
    const repo = withRepository(factory);
    const client = (): ClientRecord => ({
      clientId: uniqueId('client'),
      clientName: 'Test',
      redirectUris: ['https://app.example/cb'],
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      tokenEndpointAuthMethod: 'none',
      scopes: ['mcp:tools:read'],
      clientIdIssuedAt: 1_700_000_000,
      metadata: { client_uri: 'https://app.example' },
    });

    it('returns a saved client and undefined for an unknown id', async () => {
      const saved = client();
      await repo().save(saved);
      await expect(repo().find(saved.clientId)).resolves.toEqual(saved);
      await expect(repo().find(uniqueId('missing'))).resolves.toBeUndefined();
    });

    it('forgets a deleted client', async () => {
      const saved = client();
      await repo().save(saved);
      await repo().delete(saved.clientId);
      await expect(repo().find(saved.clientId)).resolves.toBeUndefined();
    });

    it('does not let a caller mutate the stored record', async () => {
      const saved = client();
      await repo().save(saved);
      const found = await repo().find(saved.clientId);
      found!.redirectUris.push('https://evil.example/cb');
      await expect(repo().find(saved.clientId)).resolves.toEqual(saved);
    });
  });
}

export function describeConsentRepositoryContract(
  name: string,
  factory: RepositoryFactory<ConsentRepository>,
) {
  describe(`ConsentRepository contract (${name})`, () => {
    const repo = withRepository(factory);

    it('stores one consent per subject and client, the latest winning', async () => {
      const subject = uniqueId('user');
      await repo().save({ subject, clientId: 'c1', scopes: ['a'], grantedAt: 1 });
      await repo().save({ subject, clientId: 'c1', scopes: ['a', 'b'], grantedAt: 2 });
      await expect(repo().find(subject, 'c1')).resolves.toEqual({
        subject,
        clientId: 'c1',
        scopes: ['a', 'b'],
        grantedAt: 2,
      });
      await expect(repo().find(subject, 'c2')).resolves.toBeUndefined();
    });
  });
}
