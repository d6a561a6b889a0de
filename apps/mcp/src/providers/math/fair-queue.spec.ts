import { FairQueue } from './fair-queue';

describe('FairQueue', () => {
  it('hands items out round-robin across owners, in order within each owner', () => {
    const queue = new FairQueue<string>();
    ['m1', 'm2', 'm3', 'm4'].forEach((item) => queue.push('mallory', item));
    queue.push('alice', 'a1');
    queue.push('bob', 'b1');
    queue.push('alice', 'a2');
    expect(queue.size).toBe(7);
    const order = Array.from({ length: 7 }, () => queue.shift());
    expect(order).toEqual(['m1', 'a1', 'b1', 'm2', 'a2', 'm3', 'm4']);
    expect(queue.shift()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it('clears everything waiting at once', () => {
    const queue = new FairQueue<number>();
    queue.push('a', 1);
    queue.push('b', 2);
    queue.push('a', 3);
    expect(queue.clear().sort()).toEqual([1, 2, 3]);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});
