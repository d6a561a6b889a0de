import { runMain } from '@app/runtime';
import { createGatewayApp } from './gateway.app';

void runMain('gateway', createGatewayApp);
