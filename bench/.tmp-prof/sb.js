const { Worker } = require('node:worker_threads');
const dir = '/work/main/apps/mcp/src/providers/math';
const w = new Worker(`require('ts-node').register({ transpileOnly: true, projectSearchDir: ${JSON.stringify(dir)} });require(${JSON.stringify(dir + '/math.worker.ts')});`, { eval: true });
w.on('message', (m) => { console.log('msg', m); w.terminate(); });
w.on('error', (e) => console.log('err', e));
w.on('exit', (c) => console.log('exit', c));
