import { loadMcpConfig } from '../../apps/mcp/src/config/mcp.config';
import { MathSandbox } from '../../apps/mcp/src/providers/math/math-sandbox.service';
const s = new MathSandbox(loadMcpConfig({}));
const t = Date.now();
s.evaluate('1+2').then((r) => console.log('ok', r, Date.now() - t), (e) => console.log('err', e, Date.now() - t));
setTimeout(() => console.log('alive', (s as any).ready, (s as any).worker !== undefined, (s as any).queue.length), 5000);
