import {
  describeAuthorizationCodeRepositoryContract,
  describeClientRepositoryContract,
  describeConsentRepositoryContract,
  describeGrantRepositoryContract,
  describeInteractionRepositoryContract,
  describeRefreshTokenRepositoryContract,
  describeRevokedTokenRepositoryContract,
  describeUpstreamLoginRepositoryContract,
  describeUpstreamTokenRepositoryContract,
} from '../testing';
import {
  MemoryAuthorizationCodeRepository,
  MemoryClientRepository,
  MemoryConsentRepository,
  MemoryGrantRepository,
  MemoryInteractionRepository,
  MemoryRefreshTokenRepository,
  MemoryRevokedTokenRepository,
  MemoryUpstreamLoginRepository,
  MemoryUpstreamTokenRepository,
} from './memory-repositories';
import { TtlMap } from './ttl-map';

const ttlBacked =
  <T extends { onModuleDestroy(): void }>(create: () => T) =>
  async () => {
    const repository = create();
    return { repository, dispose: () => repository.onModuleDestroy() };
  };

describeClientRepositoryContract('memory', async () => ({ repository: new MemoryClientRepository() }));
describeConsentRepositoryContract('memory', async () => ({ repository: new MemoryConsentRepository() }));
describeAuthorizationCodeRepositoryContract(
  'memory',
  ttlBacked(() => new MemoryAuthorizationCodeRepository()),
);
describeGrantRepositoryContract(
  'memory',
  ttlBacked(() => new MemoryGrantRepository()),
);
describeRefreshTokenRepositoryContract(
  'memory',
  ttlBacked(() => new MemoryRefreshTokenRepository()),
);
describeRevokedTokenRepositoryContract(
  'memory',
  ttlBacked(() => new MemoryRevokedTokenRepository()),
);
describeInteractionRepositoryContract(
  'memory',
  ttlBacked(() => new MemoryInteractionRepository()),
);
describeUpstreamLoginRepositoryContract(
  'memory',
  ttlBacked(() => new MemoryUpstreamLoginRepository()),
);
describeUpstreamTokenRepositoryContract(
  'memory',
  ttlBacked(() => new MemoryUpstreamTokenRepository()),
);

describe('TtlMap', () => {
  it('purges expired entries so memory stays bounded', () => {
    let now = 1_000;
    const map = new TtlMap<number>({ now: () => now });
    map.set('a', 1, 2_000);
    map.set('b', 2, 5_000);
    now = 3_000;
    map.purge();
    expect(map.size).toBe(1);
    expect(map.get('b')).toBe(2);
    map.close();
  });

  it('does not store an entry that is already expired', () => {
    const map = new TtlMap<number>({ now: () => 10 });
    map.set('a', 1, 10);
    expect(map.size).toBe(0);
    map.close();
  });
});
