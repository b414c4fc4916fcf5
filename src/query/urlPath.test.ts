import { checkUrlPath } from './urlPath';

describe('checkUrlPath', () => {
  it.each([
    ['logs/2024-03-04.json.gz', 'logs/2024-03-04.json.gz'],
    ['/logs/a b.json', 'logs/a%20b.json'],
    ['logs/%41.json', 'logs/A.json'],
    ['export/000000.gz?versionId=3', 'export/000000.gz?versionId=3'],
    ['a/#/b', 'a/%23/b'],
    ['x.gz?X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=ab', 'x.gz?X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=ab'],
    ['x.gz?q=a b&r=100%', 'x.gz?q=a%20b&r=100%25'],
  ])('accepts %j as %j', (path, expected) => {
    expect(checkUrlPath(path)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ['', /Enter the path/],
    ['../etc/passwd', /must stay under the base URL/],
    ['logs/../../x', /must stay under the base URL/],
    ['logs/%2e%2e/x', /must stay under the base URL/],
    ['logs/%2E%2E%2Fx', /must stay under the base URL/],
    ['./x', /must stay under the base URL/],
    ['https://evil.example/x', /not a URL/],
    ['//evil.example/x', /not a URL/],
    ['javascript:alert(1)', /not a URL/],
    ['a\\..\\b', /backslashes/],
    ['a\nb', /control characters/],
    ['logs/%zz', /broken percent-encoding/],
  ])('refuses %j', (path, message) => {
    const checked = checkUrlPath(path);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.message).toMatch(message);
  });
});
