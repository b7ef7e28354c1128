import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StorageUnavailableError } from '../../src/core/errors';
import type { BreachOverview } from '../../src/storage/ports';
import type { TextReply } from '../../src/core/messages';
import { botWithOperatorPerTest } from '../support/bot-with-operator';
import { breachRecordArgs, recordBreach } from '../support/breach-register';
import { steppingClockPerTest } from '../support/stepping-clock';
import { talk } from '../support/talk';
import { type TestApp, actionIds } from '../support/test-app';

/**
 * GDPR Art. 33/34 end to end on SQLite files: the operator records a breach with
 * `npm run privacy -- breach record` (its own connection to the bot's files, as in a deployment),
 * and each affected person sees the notice once, in their language, at their next message.
 */

/** The clock of the bot and of the CLI: a breach recorded "now" and turns after it are ordered. */
const clock = steppingClockPerTest(new Date('2041-03-01T12:00:00.000Z'));
const bot = botWithOperatorPerTest({ env: { PRIVACY_CONTACT: 'dpo@example.org' }, clock: clock.now });
const h = (): TestApp => bot.app;
/** The operator's CLI on the bot's files, at the shared clock. */
const privacy = (argv: string[]) => bot.privacy(argv);

/** Says hello in `hint`'s language, then presses the buttons that notice offers: accept all, adult. */
async function acceptsAll(user: string, hint: string) {
  await talk(h().app, user, { localeHint: hint }).acceptEverything();
  return h().chat(user, { localeHint: hint });
}

async function declines(user: string, hint: string) {
  const person = h().chat(user, { localeHint: hint });
  const notice = await person.send('hello');
  await person.send({ action: actionIds(notice).find((id) => id.startsWith('consent:none:'))! });
  return person;
}

const NOTICE = {
  en: /^Important notice about your data \(GDPR Art\. 34\)/,
  de: /^Wichtiger Hinweis zu deinen Daten \(DSGVO Art\. 34\)/,
  es: /^Aviso importante sobre tus datos \(RGPD, art\. 34\)/,
  fr: /^Avis important concernant vos données \(RGPD, art\. 34\)/,
};

const isNotice = (reply: TextReply) => Object.values(NOTICE).some((pattern) => pattern.test(reply.text));

/** The tables with a row under `subjectId` (those without a subject_id column hold nobody's rows). */
function rowsNaming(subjectId: string): string[] {
  const tables = h()
    .db.sqlite.prepare<[], { name: string }>(
      `SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
         AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'subject_id')`,
    )
    .all()
    .map((row) => row.name);
  return tables.filter(
    (table) =>
      (
        h().db.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE subject_id = ?`).get(subjectId) as {
          n: number;
        }
      ).n > 0,
  );
}

describe('breach record --affected all', () => {
  it('shows everyone with stored data the notice once, in their language; nobody else', async () => {
    const ana = await acceptsAll('ana', 'fr-FR');
    await ana.send('remember that my locker is 12');
    const ben = await declines('ben', 'de-DE');
    const erin = await acceptsAll('erin', 'es-ES');
    clock.tick();

    // The dry run records nothing and shows the notice in every language.
    const unauthorized = { what: 'unauthorized-access', when: '2041-02-28T09:30Z', affected: 'all' };
    const dry = await privacy(breachRecordArgs(unauthorized));
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain('dry run: nothing is recorded');
    expect(dry.stdout).toContain('(3 people now)');
    expect(dry.stdout).toContain('2041-02-28 09:30 UTC');
    for (const pattern of Object.values(NOTICE))
      expect(dry.stdout).toMatch(new RegExp(pattern.source.slice(1), 'm'));
    expect(dry.stderr).toContain('run again with --yes');
    expect((await privacy(['breach', 'list'])).stdout).toBe('no breaches recorded\n');
    expect(rowsNaming(ana.subjectId)).not.toContain('breach_notices');

    const recorded = await recordBreach(privacy, unauthorized);
    expect(recorded.result.stdout).toContain('docs/breach-runbook.md');
    clock.tick();

    // Someone who first writes now, and someone who decides only now: not affected.
    const carl = h().chat('carl');
    expect((await carl.send('hello')).filter(isNotice)).toEqual([]);
    const dora = await acceptsAll('dora', 'en');
    expect((await dora.send('hello again')).filter(isNotice)).toEqual([]);
    expect(rowsNaming(carl.subjectId)).toEqual([]);
    expect(rowsNaming(dora.subjectId)).not.toContain('breach_notices');

    // Ana: French, first thing in the turn, with what happened, when, what she can do, whom to ask.
    const [notice, ...rest] = await ana.send('hello');
    expect(notice!.text).toMatch(NOTICE.fr);
    expect(notice!.text).toContain('Une personne non autorisée a eu accès à la base de données');
    expect(notice!.text).toContain('28 février 2041');
    for (const command of ['/mydata', '/export', '/delete']) expect(notice!.text).toContain(command);
    expect(notice!.text).toContain('dpo@example.org');
    expect(notice!.text).toContain('introduire une réclamation');
    expect(notice!.privateToSpeaker).toBe(true);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.filter(isNotice)).toEqual([]);
    // Once.
    expect((await ana.send('hello')).filter(isNotice)).toEqual([]);

    // Ben refused storage: his consent records were in the database all the same.
    const [benNotice] = await ben.send('hallo');
    expect(benNotice!.text).toMatch(NOTICE.de);
    expect(benNotice!.text).toContain('28. Februar 2041');

    // Erin writes in a group: the notice goes to her privately, never to the group.
    const inGroup = h().chat('erin', { isPrivateChat: false, conversationKey: 'group-7', localeHint: 'es' });
    const [groupNotice] = (await inGroup.send('/help')).filter(isNotice);
    expect(groupNotice!.text).toMatch(NOTICE.es);
    expect(groupNotice!.privateToSpeaker).toBe(true);
    expect(groupNotice!.publicFallback).toBeUndefined();
    expect((await erin.send('hola')).filter(isNotice)).toEqual([]);

    const list = await privacy(['breach', 'list', '--json']);
    expect(list.code).toBe(0);
    const [breach] = JSON.parse(list.stdout) as BreachOverview[];
    expect(breach).toMatchObject({ what: 'unauthorized-access', affectsAll: true, listed: 0, notified: 3 });
    expect((await privacy(['breach', 'list'])).stdout).toMatch(/unauthorized-access\s+all\s+3\s/);

    // A restart remembers who has been told.
    await bot.restart();
    expect((await h().chat('ana').send('hello')).filter(isNotice)).toEqual([]);
  });

  it('shows the notice once when two turns of one person arrive together', async () => {
    const ana = await acceptsAll('ana', 'en');
    clock.tick();
    await recordBreach(privacy, { what: 'other', when: '2041-03-01', affected: 'all' });
    clock.tick();
    const turns = await Promise.all([ana.send('one'), ana.send('two'), ana.send('three')]);
    expect(turns.flat().filter(isNotice)).toHaveLength(1);
  });

  it('answers the turn when the breach register cannot be read, and shows the notice next time', async () => {
    const ana = await acceptsAll('ana', 'en');
    clock.tick();
    await recordBreach(privacy, { what: 'backup-lost', when: '2041-03-01', affected: 'all' });
    const { breaches } = h().app.services.stores;
    const spy = jest
      .spyOn(breaches, 'pendingFor')
      .mockRejectedValueOnce(new StorageUnavailableError('breaches.pendingFor', new Error('simulated')));
    const first = await ana.send('hello');
    expect(first.length).toBeGreaterThan(0);
    expect(first.filter(isNotice)).toEqual([]);
    spy.mockRestore();
    const [notice] = await ana.send('hello');
    expect(notice!.text).toMatch(NOTICE.en);
    expect(notice!.text).toContain('A backup of the data this bot keeps was lost or stolen.');
  });
});

describe('breach record --affected <file>', () => {
  it('takes channel:userId and pseudonymous ids, and tells exactly the people listed', async () => {
    const ana = await acceptsAll('ana', 'en');
    const ben = await declines('ben', 'de');
    const carl = await acceptsAll('carl', 'en');
    const dan = h().chat('dan');
    clock.tick();
    const file = path.join(bot.env.DATA_DIR!, 'affected.txt');
    await fs.writeFile(
      file,
      [
        '# people whose messages were in the misdirected report',
        'console:ana',
        '',
        ben.subjectId,
        'console:ana',
        'console:dan',
      ].join('\n'),
    );
    const what = 'Ein Bericht mit Chatverläufen ging an eine falsche Adresse.';
    const breach = { what, when: '2041-03-01T08:00+01:00', affected: file };

    const dry = await privacy(breachRecordArgs(breach));
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain(`3 people listed in ${file}`);
    expect(dry.stdout).toContain('2041-03-01 07:00 UTC');
    expect(dry.stderr).toContain('a description is shown as written');
    expect(dry.stdout).not.toContain('console:ana');

    await recordBreach(privacy, breach);
    clock.tick();

    const [anaNotice] = await ana.send('hello');
    expect(anaNotice!.text).toMatch(NOTICE.en);
    expect(anaNotice!.text).toContain(`What happened: ${what}`);
    expect(anaNotice!.text).toContain('It concerns data this bot keeps about you.');
    const [benNotice] = await ben.send('hallo');
    expect(benNotice!.text).toMatch(NOTICE.de);
    expect(benNotice!.text).toContain('Betroffen sind Daten, die dieser Bot über dich speichert.');
    // Listed, though the bot holds nothing else about him: the operator knows better.
    const [danNotice] = await dan.send('hello');
    expect(danNotice!.text).toMatch(NOTICE.en);
    expect((await carl.send('hello')).filter(isNotice)).toEqual([]);

    expect(JSON.parse((await privacy(['breach', 'list', '--json'])).stdout)).toMatchObject([
      { what, affectsAll: false, listed: 3, notified: 3 },
    ]);
  });

  it('refuses a file line that is no person, without repeating it, and records nothing', async () => {
    const file = path.join(bot.env.DATA_DIR!, 'affected.txt');
    await fs.writeFile(file, 'console:ana\nwhatsapp:+4915112345678\n');
    const result = await privacy(
      breachRecordArgs({ what: 'other', when: '2041-03-01', affected: file }, { yes: true }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 2 is neither <channel:userId>');
    expect(result.stderr).not.toContain('4915112345678');
    expect((await privacy(['breach', 'list'])).stdout).toBe('no breaches recorded\n');
    const missing = await privacy(
      breachRecordArgs({
        what: 'other',
        when: '2041-03-01',
        affected: path.join(bot.env.DATA_DIR!, 'none.txt'),
      }),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--affected: cannot read the file (ENOENT)');
  });
});
