import { withDatabaseName } from '../../integration/kms/key-test-database';

describe('withDatabaseName (helper of the *.db.test.ts suites)', () => {
  it.each([
    ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27017/t1'],
    ['mongodb://127.0.0.1:27017', 'mongodb://127.0.0.1:27017/t1'],
    ['mongodb://u:p@a:1,b:2/app?replicaSet=rs0', 'mongodb://u:p@a:1,b:2/t1?replicaSet=rs0'],
    [
      'mongodb+srv://cluster.example.net/?retryWrites=true',
      'mongodb+srv://cluster.example.net/t1?retryWrites=true',
    ],
  ])('%s → %s', (uri, expected) => {
    expect(withDatabaseName(uri, 't1')).toBe(expected);
  });

  it('rejects what is not a MongoDB URI', () => {
    expect(() => withDatabaseName('http://example.org', 't1')).toThrow(/mongodb/);
  });
});
