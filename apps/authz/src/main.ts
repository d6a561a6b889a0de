import { runMain } from '@app/runtime';
import { createAuthzApp } from './authz.app';

void runMain('authz', createAuthzApp);
