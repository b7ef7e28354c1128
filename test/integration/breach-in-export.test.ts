import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TextReply } from '../../src/core/messages';
import { type ExportFile, exportFileSchema } from '../../src/privacy/rights/export-format';
import { botWithOperatorPerTest } from '../support/bot-with-operator';
import { recordBreach } from '../support/breach-register';
import { steppingClockPerTest } from '../support/stepping-clock';
import { talk } from '../support/talk';
import { type TestApp } from '../support/test-app';

/**
 * GDPR Art. 15: the export holds the breach notices the bot keeps about a person (issue 13): a
 * breach that listed them, shown or still owed, and a breach affecting everyone once they were
 * shown it. A person the breach did not concern finds none. On SQLite files, with the operator's
 * CLI on the bot's files as in a deployment.
 */

const clock = steppingClockPerTest(new Date('2041-03-01T12:00:00.000Z'));
const bot = botWithOperatorPerTest({ env: { PRIVACY_CONTACT: 'dpo@example.org' }, clock: clock.now });
const h = (): TestApp => bot.app;
const privacy = (argv: string[]) => bot.privacy(argv);

/** Says hello in English and presses the buttons the notice offers: accept all, adult. */
async function acceptsAll(user: string) {
  await talk(h().app, user, { localeHint: 'en' }).acceptEverything();
  return h().chat(user, { localeHint: 'en' });
}

async function exportIn(
  person: ReturnType<TestApp['chat']>,
): Promise<{ reply: TextReply; file: ExportFile }> {
  const reply = (await person.send('/export')).find((candidate) => candidate.file);
  expect(reply?.file?.mime).toBe('application/json');
  return { reply: reply!, file: exportFileSchema.parse(JSON.parse(reply!.file!.bytes.toString('utf8'))) };
}

describe('the export and the breach register', () => {
  it('holds the breach notices of the person it concerned, and none for anyone else', async () => {
    const ana = await acceptsAll('ana');
    const ben = await acceptsAll('ben');
    await acceptsAll('carl');
    clock.tick();
    const listFile = path.join(bot.env.DATA_DIR!, 'affected.txt');
    await fs.writeFile(listFile, ['console:ana', 'console:carl'].join('\n'));
    const { id: listed } = await recordBreach(privacy, {
      what: 'data-copied',
      when: '2041-03-01T08:00Z',
      affected: listFile,
    });
    const recordedAt = clock.now().toISOString();
    clock.tick();

    // Ana is shown the notice first in her /export turn, and the file records that she was.
    const { reply, file } = await exportIn(ana);
    expect(reply.text).toContain('your data-rights requests and any breach notices concerning you');
    const expected = {
      breachId: listed,
      what: 'data-copied',
      occurredAt: '2041-03-01T08:00:00.000Z',
      recordedAt,
      affected: 'listed',
      notifiedAt: clock.now().toISOString(),
    };
    expect(file.breachNotices).toEqual([expect.objectContaining(expected)]);
    expect(Date.parse(file.breachNotices[0]!.expiresAt)).toBeGreaterThan(clock.now().getTime());

    // Ben was not listed: his export holds no breach notice.
    expect((await exportIn(ben)).file.breachNotices).toEqual([]);

    // Carl has not written since: the operator's export shows his notice as owed.
    const out = path.join(bot.env.DATA_DIR!, 'carl.json');
    expect((await privacy(['export', '--user', 'console:carl', '--out', out])).code).toBe(0);
    const carls = exportFileSchema.parse(JSON.parse(await fs.readFile(out, 'utf8')));
    expect(carls.breachNotices).toEqual([expect.objectContaining({ ...expected, notifiedAt: null })]);
  });

  it('holds a breach affecting everyone once the person was shown it; not for someone who came later', async () => {
    const ana = await acceptsAll('ana');
    clock.tick();
    const { id: everyone } = await recordBreach(privacy, {
      what: 'backup-lost',
      when: '2041-03-01T09:00Z',
      affected: 'all',
    });
    clock.tick();
    const dora = await acceptsAll('dora');

    const { file } = await exportIn(ana);
    expect(file.breachNotices).toEqual([
      expect.objectContaining({ breachId: everyone, what: 'backup-lost', affected: 'everyone' }),
    ]);
    expect(file.breachNotices[0]!.notifiedAt).not.toBeNull();

    // Dora first wrote after the breach was recorded: it did not concern her, and nothing says so.
    expect((await exportIn(dora)).file.breachNotices).toEqual([]);
  });
});
