import { describeValues } from './statistics';

describe('describeValues', () => {
  it('computes mean, median, sample standard deviation, min and max', () => {
    expect(describeValues([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({
      count: 8,
      sum: 40,
      mean: 5,
      median: 4.5,
      stdev: Math.sqrt(32 / 7),
      min: 2,
      max: 9,
    });
  });

  it('handles a single value and an odd count', () => {
    expect(describeValues([3])).toEqual(expect.objectContaining({ median: 3, stdev: 0, min: 3, max: 3 }));
    expect(describeValues([9, 1, 5]).median).toBe(5);
  });
});
