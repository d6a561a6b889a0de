const { create, all } = require('mathjs');
const math = create(all, { number: 'number' });
for (const e of ['A=matrix([1,2]); A.resize([3])', 'A=matrix([1,2]); A.set([5], 1)', 'A=[1,2]; A.set([5],1)', 'subset([1,2], index(5), 3)', 'A=[1,2]; A[5]=1; A', 'A=[1,2]; A[5]', 'A=matrix([1,2]); A.size()', 'x={a:1}; x.b = [1]; x', 'A=[1,2]; A[2:5]=[1,2,3,4]; A']) {
  try { console.log(e, '=>', math.format(math.evaluate(e))); } catch (err) { console.log(e, 'ERR', err.message); }
}
