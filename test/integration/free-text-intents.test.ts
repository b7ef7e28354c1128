import type { IncomingMessage, TextReply } from '../../src/core/messages';
import { talk } from '../support/talk';
import { actionIds, startTestApp, type TestDatabase } from '../support/test-app';

/**
 * Issue 15: rights asked for in words the locale files do not list, through the real engine on
 * the default backend's files. Erasure and withdrawal from free text always ask first; a pending
 * confirmation is answered only by its buttons or a yes/no, and any other request cancels it
 * visibly and is then answered as itself. Written with talk() (test/support/talk.ts); the rows
 * are looked at between turns.
 */

type Harness = Awaited<ReturnType<typeof startTestApp>>;

let harness: Harness;
let db: TestDatabase;

beforeEach(async () => {
  harness = await startTestApp();
  db = harness.db;
});
afterEach(async () => db.drop());

const IN_GROUP: Partial<IncomingMessage> = { conversationKey: 'group-1', isPrivateChat: false };

function t(key: string, options: Record<string, unknown> = {}, locale = 'en'): string {
  return harness.app.services.i18n.translator(locale)(key, options);
}

/** A pattern for expectText that matches a reply of exactly this text, not one that contains it. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** The labels of a turn's buttons, in the order they are shown. */
function labels(replies: readonly TextReply[]): string[] {
  return replies.flatMap((reply) => (reply.actions ?? []).map((action) => action.label));
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

/** A new person who accepts every purpose as an adult, in a private chat unless `defaults` say otherwise. */
function adult(user = 'ana', defaults: Partial<IncomingMessage> = {}) {
  return talk(harness.app, user, defaults).acceptEverything();
}

/** Someone with every consent and a few lines of history; `ana` goes on talking from there. */
async function personWithHistory(user = 'ana') {
  const ana = adult(user).send('remember that my locker is 12');
  await ana;
  const subjectId = harness.app.services.subjectIds.of('console', user);
  expect(rows('history', subjectId)).toBeGreaterThan(0);
  return { ana, subjectId };
}

describe('rights asked for in free text', () => {
  it('asks before erasing when erasure is asked for in words, and erases on the button', async () => {
    const { ana, subjectId } = await personWithHistory();
    await ana
      .send('Please delete everything you have about me')
      .expectText(/^This erases everything I hold about you/)
      .expectReplies((replies) => {
        expect(labels(replies)).toEqual([t('delete.confirmButton'), t('delete.cancelButton')]);
        expect(actionIds(replies)).toEqual([expect.stringMatching(/^delete:confirm:/), 'delete:cancel']);
      });
    // Nothing is erased before the button.
    expect(rows('history', subjectId)).toBeGreaterThan(0);

    await ana.press(t('delete.confirmButton')).expectText(/^Done: I erased everything/);
    expect(rows('history', subjectId)).toBe(0);
    expect(rows('subjects', subjectId)).toBe(0);
  });

  it('takes an explicit yes or no, in any of its languages, as the answer', async () => {
    const { ana, subjectId } = await personWithHistory();
    await ana
      .send('wipe all my data please')
      .send('nein')
      .expectText(exactly(t('delete.cancelled')));
    expect(rows('history', subjectId)).toBeGreaterThan(0);

    await ana
      .send('wipe all my data please')
      .send('Yes')
      .expectText(/^Done: I erased everything/);
    expect(rows('history', subjectId)).toBe(0);
  });

  it('cancels a pending erasure visibly when another request comes, and answers that request', async () => {
    const { ana, subjectId } = await personWithHistory();
    await ana
      .send('erase all my data')
      .send('can I get a copy of my data')
      .expectReplies(([cancelled, ...answer]) => {
        expect(cancelled?.text).toBe(t('delete.cancelled'));
        // The request is answered as itself: the export file comes.
        expect(answer.some((reply) => reply.file?.mime === 'application/json')).toBe(true);
      });
    expect(rows('history', subjectId)).toBeGreaterThan(0);

    // The question is gone: a late "yes" erases nothing.
    await ana.send('yes');
    expect(rows('history', subjectId)).toBeGreaterThan(0);
  });

  it('never reads a command typed while an erasure waits as its confirmation word', async () => {
    const { ana, subjectId } = await personWithHistory();
    // "/delete" normalises to the confirmation word "DELETE": it must still only cancel and ask again.
    await ana
      .send('/delete')
      .send('/delete')
      .expectReplies(([cancelled, ...askedAgain]) => {
        expect(cancelled?.text).toBe(t('delete.cancelled'));
        expect(actionIds(askedAgain)).toContainEqual(expect.stringMatching(/^delete:confirm:/));
      });
    expect(rows('history', subjectId)).toBeGreaterThan(0);
  });

  it('asks before withdrawing when withdrawal is asked for in words; a later request cancels it', async () => {
    const { ana, subjectId } = await personWithHistory();
    await ana
      .send('opt me out please')
      .expectReplies(([question]) => {
        expect(question?.text).toBe(t('stop.confirm'));
        expect(question?.privateToSpeaker).toBe(true);
        expect(labels([question!])).toEqual([t('stop.confirmButton'), t('stop.cancelButton')]);
      })
      .send('what do you know about me')
      .expectReplies(([cancelled, ...answer]) => {
        expect(cancelled?.text).toBe(t('stop.cancelled'));
        expect(answer.length).toBeGreaterThan(0);
      });
    expect(withdrawals(subjectId)).toBe(0);

    // Its own phrase again is neither yes nor no: it asks again, withdrawing nothing yet.
    await ana
      .send('I withdraw my consent')
      .send('opt out')
      .expectText(exactly(t('stop.confirm')))
      .expectReplies((replies) =>
        expect(actionIds(replies)).toContainEqual(expect.stringMatching(/^stop:confirm:/)),
      );
    expect(withdrawals(subjectId)).toBe(0);
    await ana.press(t('stop.confirmButton')).expectText(exactly(t('stop.done')));
    expect(withdrawals(subjectId)).toBe(3);
  });

  it('keeps /stop immediate: the command needs no confirmation', async () => {
    const { ana, subjectId } = await personWithHistory();
    await ana.send('/stop').expectText(exactly(t('stop.done')));
    expect(withdrawals(subjectId)).toBe(3);
  });

  it('understands a request in another of its languages than the one it speaks with the person', async () => {
    await adult('ana', { localeHint: 'en-GB' })
      .send('lösche alle meine Daten')
      .expectReplies((replies) =>
        expect(actionIds(replies)).toContainEqual(expect.stringMatching(/^delete:confirm:/)),
      )
      .press(t('delete.cancelButton'))
      .expectText(exactly(t('delete.cancelled')));
  });

  it('does not take a bystander sentence for a request', async () => {
    const { ana, subjectId } = await personWithHistory();
    await ana.send('I deleted the photo yesterday').expectReplies(([reply]) => {
      expect(reply?.text).toBe(t('help.unknown'));
      expect(reply?.actions).toBeUndefined();
    });
    expect(rows('history', subjectId)).toBeGreaterThan(0);
  });

  it('asks "did you mean ...?" when unsure, and routes the chosen intent', async () => {
    const { ana } = await personWithHistory();
    const unsure = 'what happens to my data';
    await ana
      .send(unsure)
      .expectText(exactly(t('clarify.question')))
      .expectReplies((replies) => {
        expect(actionIds(replies)).toEqual([
          'clarify:pick:mydata',
          'clarify:pick:privacy',
          'clarify:neither',
        ]);
        expect(labels(replies)).toEqual([
          t('clarify.options.mydata'),
          t('clarify.options.privacy'),
          t('clarify.neither'),
        ]);
      })
      .press(t('clarify.neither'))
      .expectText(exactly(t('clarify.neitherReply')))
      .send(unsure)
      .press(t('clarify.options.mydata'))
      .expectText(/history/i);
  });

  it('judges a "did you mean ...?" pick by the gates as the chosen dialog: no personal data in a group', async () => {
    await personWithHistory();
    await talk(harness.app, 'ana', IN_GROUP)
      .send('what happens to my data')
      .press(t('clarify.options.mydata'))
      .expectText(exactly(t('privacy.groupPointer')));
  });

  it('in a group, answers a request addressed to it privately, and keeps erasure to a private chat', async () => {
    const { subjectId } = await personWithHistory();
    await talk(harness.app, 'ana', IN_GROUP)
      .send('opt me out please')
      .expectReplies(([question]) => {
        expect(question?.text).toBe(t('stop.confirm'));
        expect(question?.privateToSpeaker).toBe(true);
      })
      // Another request while the question waits cancels it visibly, then is answered as itself.
      .send('erase all my data')
      .expectReplies(([cancelled, pointer]) => {
        expect(cancelled?.text).toBe(t('stop.cancelled'));
        expect(pointer?.text).toBe(t('privacy.groupPointer'));
      });
    expect(withdrawals(subjectId)).toBe(0);
    expect(rows('history', subjectId)).toBeGreaterThan(0);
  });
});
