import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SubjectIds, loadPepper } from '../../src/privacy/subject-id';

describe('subject ids', () => {
  it('are stable per pepper, separate channels, and hide the platform id', () => {
    const ids = new SubjectIds(Buffer.from('a'.repeat(32)));
    const id = ids.of('telegram', '12345');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(id).toBe(ids.of('telegram', '12345'));
    expect(id).not.toBe(ids.of('discord', '12345'));
    expect(id).not.toContain('12345');
    expect(new SubjectIds(Buffer.from('b'.repeat(32))).of('telegram', '12345')).not.toBe(id);
  });

  it('generate a development pepper once, private to the owner', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pepper-'));
    const first = await loadPepper(undefined, dir);
    const second = await loadPepper(undefined, dir);
    expect(first.length).toBe(32);
    expect(second.equals(first)).toBe(true);
    const mode = (await fs.stat(path.join(dir, 'subject-pepper'))).mode & 0o777;
    expect(mode).toBe(0o600);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('use the configured pepper when there is one', async () => {
    const pepper = await loadPepper('x'.repeat(40), '/nonexistent');
    expect(pepper.toString()).toBe('x'.repeat(40));
  });
});
