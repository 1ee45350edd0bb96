import { containsPattern, InvalidSearchError, pageOf, parseSort } from './execution-search';

describe('execution search parameters', () => {
  it('given no sort, then newest first with the id as tiebreak in the same direction', () => {
    expect(parseSort(undefined)).toEqual([{ column: 'created_at', direction: 'desc' }, { column: 'execution_id', direction: 'desc' }]);
  });

  it("given Conductor's field names and several terms, then they map to columns", () => {
    expect(parseSort('startTime:asc, workflowType:DESC')).toEqual([
      { column: 'created_at', direction: 'asc' },
      { column: 'workflow_name', direction: 'desc' },
      { column: 'execution_id', direction: 'desc' },
    ]);
    expect(parseSort(['workflowId:DESC'])).toEqual([{ column: 'execution_id', direction: 'desc' }]);
  });

  it.each(['input:ASC', 'createdAt:UP', 'createdAt:ASC:x', 'constructor'])('given sort %s, then it is rejected with INVALID_SEARCH', (sort) => {
    expect(() => parseSort(sort)).toThrow(InvalidSearchError);
  });

  it('given no paging, then 100 from 0; a size above 1000 is capped; negatives are rejected', () => {
    expect(pageOf({})).toEqual({ offset: 0, limit: 100 });
    expect(pageOf({ start: 20, size: 5000 })).toEqual({ offset: 20, limit: 1000 });
    expect(() => pageOf({ start: -1 })).toThrow(InvalidSearchError);
    expect(() => pageOf({ size: 1.5 })).toThrow(InvalidSearchError);
  });

  it('escapes LIKE wildcards', () => {
    expect(containsPattern('A_b%c\\')).toBe('%a\\_b\\%c\\\\%');
  });
});
