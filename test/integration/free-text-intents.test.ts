import { actionIds, ADULT_ACCEPTS_ALL, startTestApp, type TestDatabase } from '../support/test-app';

/**
 * Issue 15: rights asked for in words the locale files do not list, through the real engine on
 * the default backend's files. Erasure and withdrawal from free text always ask first; a pending
 * confirmation is answered only by its buttons or a yes/no, and any other request cancels it
 * visibly and is then answered as itself.
 */

type Harness = Awaited<ReturnType<typeof startTestApp>>;

let harness: Harness;
let db: TestDatabase;

beforeEach(async () => {
  harness = await startTestApp();
  db = harness.db;
});
afterEach(async () => db.drop());

function t(key: string, options: Record<string, unknown> = {}, locale = 'en'): string {
  return harness.app.services.i18n.translator(locale)(key, options);
}

function rows(table: string, subjectId: string): number {
  return (
    db.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE subject_id = ?`).get(subjectId) as {
      n: number;
    }
  ).n;
}

function withdrawals(subjectId: string): number {
  return (
    db.sqlite
      .prepare(`SELECT count(*) AS n FROM consent_ledger WHERE subject_id = ? AND decision = 'withdrawn'`)
      .get(subjectId) as { n: number }
  ).n;
}

/** Someone with every consent and a few lines of history. */
async function personWithHistory(user = 'ana') {
  const person = harness.chat(user);
  await person.press(ADULT_ACCEPTS_ALL);
  await person.send('remember that my locker is 12');
  expect(rows('history', person.subjectId)).toBeGreaterThan(0);
  return person;
}

describe('rights asked for in free text', () => {
  it('asks before erasing when erasure is asked for in words, and erases on the button', async () => {
    const ana = await personWithHistory();
    const [question] = await ana.send('Please delete everything you have about me');
    expect(question?.text).toMatch(/^This erases everything I hold about you/);
    const confirm = actionIds([question!]).find((id) => id.startsWith('delete:confirm:'));
    expect(question?.actions?.map((action) => action.label)).toEqual([
      t('delete.confirmButton'),
      t('delete.cancelButton'),
    ]);
    // Nothing is erased before the button.
    expect(rows('history', ana.subjectId)).toBeGreaterThan(0);

    const [done] = await ana.send({ action: confirm! });
    expect(done?.text).toMatch(/^Done: I erased everything/);
    expect(rows('history', ana.subjectId)).toBe(0);
    expect(rows('subjects', ana.subjectId)).toBe(0);
  });

  it('takes an explicit yes or no, in any of its languages, as the answer', async () => {
    const ana = await personWithHistory();
    await ana.send('wipe all my data please');
    const [kept] = await ana.send('nein');
    expect(kept?.text).toBe(t('delete.cancelled'));
    expect(rows('history', ana.subjectId)).toBeGreaterThan(0);

    await ana.send('wipe all my data please');
    const [done] = await ana.send('Yes');
    expect(done?.text).toMatch(/^Done: I erased everything/);
    expect(rows('history', ana.subjectId)).toBe(0);
  });

  it('cancels a pending erasure visibly when another request comes, and answers that request', async () => {
    const ana = await personWithHistory();
    await ana.send('erase all my data');
    const replies = await ana.send('can I get a copy of my data');
    expect(replies[0]?.text).toBe(t('delete.cancelled'));
    // The request is answered as itself: the export file comes.
    expect(replies.some((reply) => reply.file?.mime === 'application/json')).toBe(true);
    expect(rows('history', ana.subjectId)).toBeGreaterThan(0);

    // The question is gone: a late "yes" erases nothing.
    await ana.send('yes');
    expect(rows('history', ana.subjectId)).toBeGreaterThan(0);
  });

  it('never reads a command typed while an erasure waits as its confirmation word', async () => {
    const ana = await personWithHistory();
    await ana.send('/delete');
    // "/delete" normalises to the confirmation word "DELETE": it must still only cancel and ask again.
    const replies = await ana.send('/delete');
    expect(replies[0]?.text).toBe(t('delete.cancelled'));
    expect(actionIds(replies.slice(1)).some((id) => id.startsWith('delete:confirm:'))).toBe(true);
    expect(rows('history', ana.subjectId)).toBeGreaterThan(0);
  });

  it('asks before withdrawing when withdrawal is asked for in words; a later request cancels it', async () => {
    const ana = await personWithHistory();
    const [question] = await ana.send('opt me out please');
    expect(question?.text).toBe(t('stop.confirm'));
    expect(question?.privateToSpeaker).toBe(true);
    expect(question?.actions?.map((action) => action.label)).toEqual([
      t('stop.confirmButton'),
      t('stop.cancelButton'),
    ]);
    const replies = await ana.send('what do you know about me');
    expect(replies[0]?.text).toBe(t('stop.cancelled'));
    expect(replies.length).toBeGreaterThan(1);
    expect(withdrawals(ana.subjectId)).toBe(0);

    // Its own phrase again is neither yes nor no: it asks again, withdrawing nothing yet.
    await ana.send('I withdraw my consent');
    const [again] = await ana.send('opt out');
    expect(again?.text).toBe(t('stop.confirm'));
    expect(withdrawals(ana.subjectId)).toBe(0);
    const confirm = actionIds([again!]).find((id) => id.startsWith('stop:confirm:'));
    const [done] = await ana.send({ action: confirm! });
    expect(done?.text).toBe(t('stop.done'));
    expect(withdrawals(ana.subjectId)).toBe(3);
  });

  it('keeps /stop immediate: the command needs no confirmation', async () => {
    const ana = await personWithHistory();
    const [done] = await ana.send('/stop');
    expect(done?.text).toBe(t('stop.done'));
    expect(withdrawals(ana.subjectId)).toBe(3);
  });

  it('answers in the language the person writes, whatever their platform says', async () => {
    const ana = harness.chat('ana', { localeHint: 'en-GB' });
    await ana.press(ADULT_ACCEPTS_ALL);
    const [question] = await ana.send('lösche alle meine Daten');
    expect(actionIds([question!]).some((id) => id.startsWith('delete:confirm:'))).toBe(true);
    const [kept] = await ana.send({ action: 'delete:cancel' });
    expect(kept?.text).toBe(t('delete.cancelled'));
  });

  it('does not take a bystander sentence for a request', async () => {
    const ana = await personWithHistory();
    const [reply] = await ana.send('I deleted the photo yesterday');
    expect(reply?.text).toBe(t('help.unknown'));
    expect(reply?.actions).toBeUndefined();
    expect(rows('history', ana.subjectId)).toBeGreaterThan(0);
  });

  it('asks "did you mean ...?" when unsure, and routes the chosen intent through the gates', async () => {
    const ana = await personWithHistory();
    const [question] = await ana.send('what happens to my data');
    expect(question?.text).toBe(t('clarify.question'));
    expect(actionIds([question!])).toEqual([
      'clarify:pick:mydata',
      'clarify:pick:privacy',
      'clarify:neither',
    ]);
    expect(question?.actions?.map((action) => action.label)).toEqual([
      t('clarify.options.mydata'),
      t('clarify.options.privacy'),
      t('clarify.neither'),
    ]);
    const [neither] = await ana.send({ action: 'clarify:neither' });
    expect(neither?.text).toBe(t('clarify.neitherReply'));
    const mydata = await ana.send({ action: 'clarify:pick:mydata' });
    expect(mydata.map((reply) => reply.text).join('\n')).toMatch(/history/i);

    // A pick is judged by the gates as the chosen dialog: no personal data is shown in a group.
    const inGroup = harness.chat('ana', { conversationKey: 'group-1', isPrivateChat: false });
    const [gate] = await inGroup.send({ action: 'clarify:pick:mydata' });
    expect(gate?.text).toBe(t('privacy.groupPointer'));
  });

  it('in a group, answers a request addressed to it privately, and keeps erasure to a private chat', async () => {
    const ana = await personWithHistory();
    const inGroup = harness.chat('ana', { conversationKey: 'group-1', isPrivateChat: false });
    const [question] = await inGroup.send('opt me out please');
    expect(question?.text).toBe(t('stop.confirm'));
    expect(question?.privateToSpeaker).toBe(true);
    // Another request while the question waits cancels it visibly, then is answered as itself.
    const [cancelled, pointer] = await inGroup.send('erase all my data');
    expect(cancelled?.text).toBe(t('stop.cancelled'));
    expect(pointer?.text).toBe(t('privacy.groupPointer'));
    expect(withdrawals(ana.subjectId)).toBe(0);
    expect(rows('history', ana.subjectId)).toBeGreaterThan(0);
  });
});
