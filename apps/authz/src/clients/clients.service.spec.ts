import { Test } from '@nestjs/testing';
import { ClientRepository, OAuthStoreModule } from '@app/oauth-store';
import { ClientMetadataResolver } from '../cimd/client-metadata.resolver';
import { authzConfig, loadAuthzConfig } from '../config/authz.config';
import { ClientsService } from './clients.service';

const config = loadAuthzConfig({ LOG_LEVEL: 'silent' });

/** The service over a fresh in-memory store; no metadata-document client is involved. */
async function setup() {
  const module = await Test.createTestingModule({
    imports: [authzConfig.forRoot(config), OAuthStoreModule.forRoot({ backend: 'memory', maxClients: 100 })],
    providers: [ClientsService, { provide: ClientMetadataResolver, useValue: { handles: () => false } }],
  }).compile();
  const clients = module.get(ClientsService);
  const store = module.get(ClientRepository);
  await clients.register({
    clientId: 'registered',
    redirectUris: ['https://app.example/cb'],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    tokenEndpointAuthMethod: 'none',
    scopes: [],
    clientIdIssuedAt: 0,
  });
  return { clients, store };
}

describe('ClientsService.markUsed', () => {
  it('records a use when the client has none yet, or its last one is over a minute old', async () => {
    const { clients, store } = await setup();
    await clients.markUsed('registered');
    const first = (await store.find('registered'))!.lastUsedAt!;
    expect(first).toBeGreaterThan(Date.now() - 5_000);
    await clients.markUsed('registered', first - 61_000);
    expect((await store.find('registered'))!.lastUsedAt).toBeGreaterThanOrEqual(first);
  });

  it('skips the write when the use it read is under a minute old: the lifetime it extends is days long', async () => {
    const { clients, store } = await setup();
    const markUsed = jest.spyOn(store, 'markUsed');
    await clients.markUsed('registered', Date.now() - 30_000);
    expect(markUsed).not.toHaveBeenCalled();
    await clients.markUsed('registered', Date.now() - 90_000);
    expect(markUsed).toHaveBeenCalledTimes(1);
  });
});
