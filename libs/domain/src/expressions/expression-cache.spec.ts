import { LruCache } from './index';

describe('LruCache', () => {
  it('given a full cache, when a new entry is added, then the least recently used one is evicted', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([1, undefined, 3, 2]);
  });

  it('given an existing key, when it is set again, then the value is replaced without growing', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect([cache.get('a'), cache.size]).toEqual([2, 1]);
  });

  it('given a capacity below one, when constructed, then it is refused', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
