import { runMain } from '@app/runtime';
import { createMcpApp } from './mcp.app';

void runMain('mcp', createMcpApp);
