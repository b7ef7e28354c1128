import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chatJson } from '../support/chat-process';
import { ADULT_ACCEPTS_ALL } from '../support/test-app';

describe('npm run chat -- --json', () => {
  it('runs the onboarding, /privacy, /stop and a German hint, one JSON line per reply', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chat-e2e-'));
    const env = { MONGODB_URI: `${process.env.MONGODB_URI}`.replace(/\/?$/, '/e2e_chat'), DATA_DIR: dataDir };
    const replies = await chatJson(
      [
        'hello',
        { action: ADULT_ACCEPTS_ALL },
        '/privacy',
        '/stop',
        { user: 'jonas', locale: 'de-DE', text: 'hallo' },
        '{"text": 5}',
      ],
      env,
    );
    expect(replies).toHaveLength(5);
    expect(replies[0]).toMatchObject({
      user: 'local-user',
      actions: expect.arrayContaining([{ id: 'consent:all:en', label: 'Accept all' }]),
    });
    expect(replies[1]!.text).toMatch(/You allowed/);
    expect(replies[2]!.text).toMatch(/What I store, why and for how long/);
    expect(replies[3]!.text).toMatch(/withdrew every consent/);
    expect(replies[4]).toMatchObject({ user: 'jonas' });
    expect(replies[4]!.text).toMatch(/Gesprächsverlauf/);

    // A second run on the same database remembers the decision.
    const again = await chatJson(['/consent'], env);
    expect(again[0]!.text).toMatch(/current choices/);
  }, 60_000);
});
