import { presentedToken } from './credentials';

describe('the token a request presents', () => {
  it.each([
    ['Authorization: Bearer', { authorization: 'Bearer abc.def' }, 'abc.def'],
    ['the scheme in any case', { authorization: 'bearer abc' }, 'abc'],
    ["Conductor's X-Authorization", { 'x-authorization': 'abc' }, 'abc'],
    ['X-Authorization with a Bearer prefix', { 'x-authorization': 'Bearer abc' }, 'abc'],
    ['Authorization before X-Authorization', { authorization: 'Bearer first', 'x-authorization': 'second' }, 'first'],
  ])('reads %s', (_case, headers, token) => {
    expect(presentedToken(headers)).toBe(token);
  });

  it('tells no credentials (401 "no credentials") from malformed ones (401 "not valid")', () => {
    expect(presentedToken({})).toBeUndefined();
    expect(presentedToken({ authorization: '' })).toBeUndefined();
    expect(presentedToken({ authorization: 'Basic dXNlcjpwdw==' })).toBe('');
    expect(presentedToken({ authorization: 'Bearer two words' })).toBe('');
  });
});
