import { parseBasicAuthorization } from './basic-credentials';

// RFC 7617: base64 of "user-id:password" in UTF-8; the user-id holds no colon, the password may.
const header = (value: string, scheme = 'Basic') => `${scheme} ${Buffer.from(value, 'utf8').toString('base64')}`;

describe('parseBasicAuthorization', () => {
  it('splits at the first colon: the password keeps its colons', () => {
    expect(parseBasicAuthorization(header('alice:pa:ss:'))).toEqual({ username: 'alice', password: 'pa:ss:' });
  });

  it('decodes UTF-8', () => {
    expect(parseBasicAuthorization(header('jürgen:wörd-ß-密码'))).toEqual({ username: 'jürgen', password: 'wörd-ß-密码' });
  });

  it('takes the scheme in any case and spaces or tabs around the value', () => {
    expect(parseBasicAuthorization(`bAsIc \t${Buffer.from('a:b').toString('base64')} `)).toEqual({ username: 'a', password: 'b' });
  });

  it('gives empty parts as they are (the caller refuses them)', () => {
    expect(parseBasicAuthorization(header(':secret'))).toEqual({ username: '', password: 'secret' });
    expect(parseBasicAuthorization(header('alice:'))).toEqual({ username: 'alice', password: '' });
  });

  it.each([
    ['no header', undefined],
    ['another scheme', header('a:b', 'Bearer')],
    ['no colon', header('alice')],
    ['not base64', 'Basic !!!!'],
    ['base64 of the wrong length', 'Basic YWJj9'],
    ['two values', `${header('a:b')} ${Buffer.from('c:d').toString('base64')}`],
    ['the scheme alone', 'Basic'],
  ])('refuses %s', (_case, value) => {
    expect(parseBasicAuthorization(value)).toBeUndefined();
  });
});
