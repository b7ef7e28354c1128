import { KeyedLock } from '../../../src/privacy/keyed-lock';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs tasks for one key one after another, in the order they came', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock.run('ana', task('a1')), lock.run('ana', task('a2'))]);
    expect(results).toEqual(['a1', 'a2']);
    expect(log).toEqual(['a1 start', 'a1 end', 'a2 start', 'a2 end']);
  });

  it('runs tasks for different keys side by side', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
    };
    await Promise.all([lock.run('ana', task('ana')), lock.run('bea', task('bea'))]);
    expect(log.slice(0, 2).sort()).toEqual(['ana start', 'bea start']);
  });

  it('goes on with the next task after one fails, and passes the failure to its caller', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('ana', () => Promise.reject(new Error('boom')));
    const next = lock.run('ana', () => Promise.resolve('after'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });
});
