import { apiQueryOf, filtersFrom, nextSort, paramsFrom } from './search-params';

describe("the executions page's filters in its URL", () => {
  it('given a URL, then its filters, unknown statuses and odd sizes dropped; and back to the same URL', () => {
    const filters = filtersFrom(new URLSearchParams('workflow=order&status=FAILED,NOPE,RUNNING&q=cust&start=50&size=50&sort=endedAt:ASC'));
    expect(filters).toMatchObject({ workflowName: 'order', statuses: ['FAILED', 'RUNNING'], freeText: 'cust', start: 50, size: 50, sort: 'endedAt:ASC' });
    expect(paramsFrom(filters).toString()).toBe('workflow=order&status=FAILED%2CRUNNING&q=cust&sort=endedAt%3AASC&start=50&size=50');
    expect(filtersFrom(new URLSearchParams('size=7&start=-3'))).toMatchObject({ size: 25, start: 0, sort: 'createdAt:DESC' });
  });

  it('given filters, then the API query with only what is set', () => {
    const query = apiQueryOf(filtersFrom(new URLSearchParams('status=PAUSED')));
    expect(query).toEqual({ workflowName: undefined, workflowVersion: undefined, status: 'PAUSED', correlationId: undefined, from: undefined, to: undefined, freeText: undefined, sort: 'createdAt:DESC', start: 0, size: 25 });
  });

  it('given a column clicked, then descending first, then it flips', () => {
    expect(nextSort('createdAt:DESC', 'status')).toBe('status:DESC');
    expect(nextSort('status:DESC', 'status')).toBe('status:ASC');
    expect(nextSort('status:ASC', 'status')).toBe('status:DESC');
  });
});
