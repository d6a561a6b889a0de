import type { AuthorizationCodeRecord, InteractionRecord } from '../records';
import type { AuthorizationCodeRepository, InteractionRepository } from '../repositories';
import {
  itConsumesOnce,
  later,
  SHORT_TTL_MS,
  sleep,
  uniqueId,
  withRepository,
  type RepositoryFactory,
} from './contract-helpers';

/*
 * Backend-neutral behaviour every repository implementation must show. A backend's spec calls these with a
 * factory: `describeGrantRepositoryContract('redis', async () => ({ repository, dispose }))`.
 */

function code(overrides: Partial<AuthorizationCodeRecord> = {}): AuthorizationCodeRecord {
  return {
    id: uniqueId('code'),
    clientId: 'client-a',
    redirectUri: 'http://127.0.0.1/cb',
    redirectUriProvided: true,
    scopes: ['mcp:tools:read'],
    resource: 'http://localhost:3002/mcp',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    codeChallengeMethod: 'S256',
    subject: 'alice',
    grantId: uniqueId('grant'),
    issuer: 'http://localhost:3002',
    authTime: Date.now(),
    expiresAt: later(),
    ...overrides,
  };
}

export function describeAuthorizationCodeRepositoryContract(
  name: string,
  factory: RepositoryFactory<AuthorizationCodeRepository>,
) {
  describe(`AuthorizationCodeRepository contract (${name})`, () => {
    const repo = withRepository(factory);

    itConsumesOnce('code', repo, code);
  });
}

export function describeInteractionRepositoryContract(
  name: string,
  factory: RepositoryFactory<InteractionRepository>,
) {
  describe(`InteractionRepository contract (${name})`, () => {
    const repo = withRepository(factory);
    const interaction = (overrides: Partial<InteractionRecord> = {}): InteractionRecord => ({
      id: uniqueId('interaction'),
      clientId: 'client-a',
      redirectUri: 'http://127.0.0.1:5000/cb',
      redirectUriProvided: true,
      scopes: ['mcp:tools:read'],
      resource: 'http://localhost:3002/mcp',
      state: 'xyz',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      codeChallengeMethod: 'S256',
      issuer: 'http://localhost:3002',
      expiresAt: later(),
      ...overrides,
    });

    it('binds a subject, then consumes once', async () => {
      const saved = interaction();
      await repo().save(saved);
      await expect(repo().setSubject(saved.id, 'alice', 5)).resolves.toMatchObject({
        subject: 'alice',
        authTime: 5,
      });
      const first = await repo().consume(saved.id);
      expect(first).toEqual({ outcome: 'consumed', record: { ...saved, subject: 'alice', authTime: 5 } });
      await expect(repo().consume(saved.id)).resolves.toMatchObject({ outcome: 'already_consumed' });
    });

    it('keeps a federated sign-in with the subject, through find and consume', async () => {
      const saved = interaction();
      await repo().save(saved);
      const federated = {
        identity: { provider: 'corp', email: 'a@corp.example', emailVerified: true, groups: ['staff'] },
        upstreamRefreshToken: 'ciphertext',
      };
      await expect(repo().setSubject(saved.id, 'corp|a', 7, federated)).resolves.toMatchObject({
        subject: 'corp|a',
        federated,
      });
      await expect(repo().find(saved.id)).resolves.toMatchObject({ subject: 'corp|a', federated });
      await expect(repo().consume(saved.id)).resolves.toMatchObject({
        outcome: 'consumed',
        record: { subject: 'corp|a', authTime: 7, federated },
      });
    });

    it('hides a consumed interaction from find and refuses to change it', async () => {
      const saved = interaction();
      await repo().save(saved);
      await repo().consume(saved.id);
      await expect(repo().find(saved.id)).resolves.toBeUndefined();
      await expect(repo().setSubject(saved.id, 'mallory', 1)).resolves.toBeUndefined();
    });

    itConsumesOnce('interaction', repo, interaction);

    it('is hidden from find once expired', async () => {
      const saved = interaction({ expiresAt: Date.now() + SHORT_TTL_MS });
      await repo().save(saved);
      await sleep(SHORT_TTL_MS + 40);
      await expect(repo().find(saved.id)).resolves.toBeUndefined();
    });
  });
}
