const { Worker } = require('node:worker_threads');
const code = `
const { parentPort } = require('node:worker_threads');
const { create, all } = require('${process.cwd()}/node_modules/mathjs');
const math = create(all, { number: 'number' });
parentPort.on('message', (e) => { try { parentPort.postMessage(String(math.evaluate(e))); } catch (err) { parentPort.postMessage('ERR ' + err.message); } });
`;
for (const expr of ['a=[1,2];a[1e9]=1;1', 'a=[1,2,3,4,5,6,7,8];' + 'a=concat(a,a);'.repeat(28) + 'size(a)']) {
  const w = new Worker(code, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } });
  const t = Date.now();
  w.on('message', (m) => { console.log('msg', m, Date.now() - t); w.terminate(); });
  w.on('error', (e) => console.log('error', e.code, e.message, Date.now() - t));
  w.on('exit', (c) => console.log('exit', c));
  w.postMessage(expr);
}
setTimeout(() => console.log('main alive'), 8000);
