import { evaluateExpression } from '../../apps/mcp/src/providers/math/safe-math';
const v100 = `[${Array(100).fill(1).map((_, i) => i + 1).join(',')}]`;
const cases = [
  '2^2^2^2^2^2', 'pow([[1,2],[3,4]], 1e15)',
  `d=diag(${v100}); d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d*d; 1`,
  'a=[1,2,3,4,5,6,7,8];a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);a=concat(a,a);size(a)',
  's="aaaaaaaa";s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);s=concat(s,s);size(s)',
  'isPrime(9007199254740881)', 'isPrime(9007199254740881)+isPrime(9007199254740881)+isPrime(9007199254740881)',
  `eigs(diag(${v100}) + 1)`, `expm(diag(${v100}) * 0.01 + 0.001)`, 
  '"abc".length', 'x = "abc"; x.constructor', 'f = sin; f(1)', 'map([1,2,3], sqrt)',
  'a = [1,2];a[1e9] = 1', 'matrix([1,2]).resize([1e9])', 'reshape([1,2,3,4],[1e4,1e4])', 'sqrtm(diag(' + v100 + '))',
  'gcd(2^53, 3^33)', 'a=[1];a[1e8]=1;1', 'format(1, 1e6)', 'string(1e308)', 'bin(1e308)',
  'sum(diag(' + v100 + ')*diag(' + v100 + '))',
  'nthRoots(1, 1e7)', 'solveODE', 'zeta(1e7)', 'lgamma(1e300)', 'erf(1e5)', 'numeric("1", "number")', 'hex(2^53)',
  'setUnion([1,2],[3])', 'setMultiplicity(1,[1])', 'range(1,10)', 'a=[1];a[100000000]', 'A=[1];A[20000000]=1', 
  'print("$a $a", {a: 1})', 'unit("5 cm") ^ 1e9', '5 cm ^ 1e300', 'to(5 cm, inch)', 'bellNumbers(1e3)', 'partitionSelect([1,2,3], 1)',
];
for (const c of cases) {
  const t = performance.now(); const m0 = process.memoryUsage().heapUsed;
  let out: string;
  try { out = evaluateExpression(c).slice(0, 60); } catch (e) { out = 'ERR ' + (e as Error).constructor.name + ': ' + (e as Error).message.slice(0, 80); }
  console.log(((performance.now() - t).toFixed(1) + 'ms').padStart(9), (((process.memoryUsage().heapUsed - m0) / 1e6).toFixed(0) + 'MB').padStart(6), c.slice(0, 50), '=>', out);
}
