import { type TestApp, appPerTest } from '../support/test-app';
import { talk } from '../support/talk';

/**
 * The memory skill (dialogs/memory/): what history is for, and only with the consent that allows
 * it. Written with talk() (test/support/talk.ts), the way a forker tests a dialog of their own.
 */

const start = appPerTest();
let harness: TestApp | undefined;

beforeEach(async () => {
  harness = await start();
});

function h(): TestApp {
  if (!harness) throw new Error('no test app');
  return harness;
}

/** The English text of a locale key, as a literal pattern (names filled in where given). */
function t(key: string, options: Record<string, unknown> = {}): string {
  return h().app.services.i18n.translator('en')(key, options);
}

/** A new person who accepts every purpose as an adult. */
function adult(user: string) {
  return talk(h().app, user).acceptEverything();
}

describe('the memory skill', () => {
  it('remembers a note and recalls it, and the recall names only what the person said', async () => {
    await adult('ana')
      .send('remember that my train leaves at 8')
      .expectText(t('memory.remembered'))
      .send('what did I tell you?')
      .expectText(t('memory.recallIntro'), 'my train leaves at 8');
  });

  it('says so when there is nothing to recall yet', async () => {
    await adult('ben').send('what did I tell you?').expectText(t('memory.nothingYet'));
  });

  it('keeps a name with personalisation and greets with it', async () => {
    await adult('cleo')
      .send('call me Cleo')
      .expectText(t('memory.hello', { name: 'Cleo' }), t('memory.nameKept'))
      .send('what did I tell you?')
      .expectText(t('memory.yourName', { name: 'Cleo' }));
  });

  it('refuses a name over the limit and keeps nothing', async () => {
    await adult('dan')
      .send(`call me ${'x'.repeat(200)}`)
      .expectText(/too long|limit/i)
      .expectNoText(t('memory.nameKept'))
      .send('what did I tell you?')
      .expectText(t('memory.nothingYet'));
  });

  it('keeps nothing for a person who declined, and says why', async () => {
    await talk(h().app, 'eva')
      .send('hello')
      .press(t('consent.decline'))
      .send('remember that my locker is 12')
      .expectText(t('memory.noHistoryConsent'))
      .send('what did I tell you?')
      .expectNoText('my locker is 12');
    const rows = h().db.sqlite.prepare('SELECT COUNT(*) AS n FROM history').get() as { n: number };
    expect(rows.n).toBe(0);
  });

  it('fails loudly when a script presses a button that was not shown', async () => {
    await expect(adult('finn').press(/no such button/)).rejects.toThrow(/no button labelled/);
  });
});
