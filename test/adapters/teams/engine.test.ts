import { type ChannelEngine, startChannelEngine } from '../../support/channel-engine';
import { documentCounts, expectDatabaseEmpty, textsIn } from '../../support/engine-db-checks';
import type { SentActivity } from '../../support/teams-connector-double';
import { GROUP, PERSONAL, USER, buttonPress, fileConsentInvoke, groupMention, message } from './activities';
import { startTeamsHarness, type TeamsHarness } from './harness';
import { cleanupStack } from '../../support/cleanup-stack';

/**
 * The real TeamsChannel (botbuilder's CloudAdapter behind the express route, the connector double
 * as serviceUrl) with the real engine, dialogs and encrypted SQLite stores: what Teams is asked to
 * show, and what the database keeps. The activities' locale is de-DE, so the onboarding is German.
 */

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

let engine: ChannelEngine;
let teams: TeamsHarness;
let serviceUrl: string;

const onCleanup = cleanupStack();

beforeEach(async () => {
  engine = await startChannelEngine({ channel: 'teams', userId: USER.aadObjectId }, onCleanup);
  // No typing indicators: a turn on the database may take a moment, and they are not the subject here.
  teams = await startTeamsHarness({ typingDelayMs: 60_000 });
  onCleanup(() => teams.close());
  teams.reply = engine.testApp.app.engine.handle;
  serviceUrl = teams.connector.serviceUrl;
});

interface CardAction {
  readonly type: string;
  readonly title: string;
  readonly data: unknown;
}

interface AdaptiveCard {
  readonly body: readonly { readonly type: string; readonly text: string }[];
  readonly actions: readonly CardAction[];
}

/** Post one activity as Teams would; returns the messages the turn sent to `conversationId`. */
async function turn(
  activity: Record<string, unknown>,
  conversationId = PERSONAL.id,
): Promise<SentActivity[]> {
  const from = teams.connector.activities.length;
  const response = await teams.post(activity);
  expect(response.status).toBe(200);
  const sent = teams.connector.activities.slice(from);
  expect(sent.map((recorded) => recorded.conversationId)).toEqual(sent.map(() => conversationId));
  return sent.map((recorded) => recorded.activity).filter((reply) => reply.type === 'message');
}

function cardOf(activity: SentActivity | undefined): AdaptiveCard {
  const attachment = activity?.attachments?.[0];
  expect(attachment?.contentType).toBe(ADAPTIVE_CARD);
  return attachment!.content as AdaptiveCard;
}

/** What Teams posts when the Action.Submit button titled `title` is pressed: its data as `value`. */
function press(activity: SentActivity | undefined, title: string): Record<string, unknown> {
  const action = cardOf(activity).actions.find((candidate) => candidate.title === title);
  if (!action) throw new Error(`no button "${title}" in ${JSON.stringify(cardOf(activity).actions)}`);
  return buttonPress(serviceUrl, action.data);
}

/** Consent to everything with one press of the age-screen button. */
async function consentToAll(): Promise<void> {
  const [confirmation] = await turn(buttonPress(serviceUrl, { action: engine.adultAcceptsAll() }));
  expect(confirmation?.text).toBe(textsIn(engine.testApp, 'en').savedAll);
}

describe('Teams with the real engine and SQLite', () => {
  it('onboards a new person with Adaptive Cards and stores their message encrypted, under no raw id', async () => {
    const { t, notice, adultLabel, savedAll } = textsIn(engine.testApp, 'de');

    const [greeting, ...moreGreeting] = await turn(message(serviceUrl, 'Guten Morgen!'));
    expect(moreGreeting).toEqual([]);
    const noticeCard = cardOf(greeting);
    expect(noticeCard.body).toEqual([{ type: 'TextBlock', text: notice, wrap: true }]);
    expect(noticeCard.actions).toEqual([
      {
        type: 'Action.Submit',
        title: t('consent.acceptAll'),
        data: { action: engine.issued('consent:all:de') },
      },
      {
        type: 'Action.Submit',
        title: t('consent.choosePurposes'),
        data: { action: engine.issued('consent:custom:000:de') },
      },
      {
        type: 'Action.Submit',
        title: t('consent.decline'),
        data: { action: engine.issued('consent:none:de') },
      },
    ]);
    await expectDatabaseEmpty(engine.testApp.db);

    const [ageQuestion, ...moreAge] = await turn(press(greeting, t('consent.acceptAll')));
    expect(moreAge).toEqual([]);
    expect(cardOf(ageQuestion).body[0]?.text).toBe(t('consent.ageQuestion'));
    expect(cardOf(ageQuestion).actions).toHaveLength(3);
    expect(cardOf(ageQuestion).actions.at(-1)).toEqual({
      type: 'Action.Submit',
      title: adultLabel,
      data: { action: engine.issued('consent:age:111:adult:de') },
    });

    const confirmed = await turn(press(ageQuestion, adultLabel));
    expect(confirmed).toEqual([expect.objectContaining({ type: 'message', text: savedAll })]);
    expect(confirmed[0]!.attachments ?? []).toEqual([]);

    const secret = 'Der Ersatzschlüssel liegt unter dem blauen Blumentopf';
    expect(await turn(message(serviceUrl, secret))).toHaveLength(1);

    await engine.expectKeptEncrypted(secret, [USER.aadObjectId, USER.id, PERSONAL.id]);
  });

  it('in a group chat, answers an undecided person with the pointer to a personal chat and stores nothing', async () => {
    const { t } = textsIn(engine.testApp, 'de');

    // Teams has no message visible to one member: the pointer goes to the person's personal chat.
    const personal = teams.connector.personalConversationOf(USER.id);
    const sent = await turn(groupMention(serviceUrl, 'Hallo zusammen, was kann der Bot?'), personal);

    expect(sent).toEqual([expect.objectContaining({ type: 'message', text: t('consent.groupPointer') })]);
    expect(teams.connector.sentTo(GROUP.id)).toEqual([]);
    expect(teams.received.map((incoming) => incoming.isPrivateChat)).toEqual([false]);
    await expectDatabaseEmpty(engine.testApp.db);
  });

  it('posts that pointer in the group when Teams will not open a personal chat, since it holds nothing personal', async () => {
    const { t } = textsIn(engine.testApp, 'de');
    teams.connector.createConversationStatus = 403;

    const sent = await turn(groupMention(serviceUrl, 'Hallo zusammen, was kann der Bot?'), GROUP.id);

    expect(sent).toEqual([expect.objectContaining({ type: 'message', text: t('consent.groupPointer') })]);
    await expectDatabaseEmpty(engine.testApp.db);
  });

  it('never hands group chatter without a mention to the engine: nothing stored, no consent withdrawn', async () => {
    await consentToAll();
    // Every table: history, profile, state, and the consent ledger a withdrawal would write to.
    const before = await documentCounts(engine.testApp.db);
    const turnsBefore = teams.received.length;

    for (const text of ['stop', 'abmelden', 'mein Ersatzschlüssel liegt im Blumentopf']) {
      const response = await teams.post(message(serviceUrl, text, { conversation: GROUP }));
      expect(response.status).toBe(200);
    }

    expect(teams.connector.sentTo(GROUP.id)).toEqual([]);
    expect(teams.received).toHaveLength(turnsBefore);
    expect(await documentCounts(engine.testApp.db)).toEqual(before);
  });

  it('/export offers the file behind a file consent card and uploads JSON valid against the export schema', async () => {
    const { t } = textsIn(engine.testApp, 'en');
    await consentToAll();
    const messages = ['the tulips in my garden are yellow', 'my bicycle is the green one by the door'];
    for (const text of messages) await turn(message(serviceUrl, text));

    // What the Teams command menu sends: the bare command word.
    const [summary, offer, ...more] = await turn(message(serviceUrl, 'export'));
    expect(more).toEqual([]);
    const card = offer!.attachments![0]!;
    expect(card).toMatchObject({
      contentType: FILE_CONSENT,
      name: expect.stringMatching(/^my-data-\d{4}-\d{2}-\d{2}\.json$/),
    });
    const { acceptContext } = card.content as { acceptContext: { pendingFileId: string } };
    // Nothing is uploaded before the person accepts.
    expect(teams.connector.uploads).toEqual([]);

    const accepted = await teams.post(
      fileConsentInvoke(serviceUrl, {
        type: 'fileUpload',
        action: 'accept',
        context: acceptContext,
        uploadInfo: {
          contentUrl: `https://contoso-my.sharepoint.com/personal/ana/Documents/Applications/${card.name}`,
          name: card.name,
          uploadUrl: teams.connector.uploadUrl(card.name!),
          uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
          fileType: 'json',
        },
      }),
    );

    expect(accepted.status).toBe(200);
    expect(teams.connector.uploads).toHaveLength(1);
    const json = teams.connector.uploads[0]!.bytes.toString('utf8');
    const file = engine.expectExportOf(json, messages, [USER.aadObjectId, USER.id, PERSONAL.id]);
    expect(summary?.text).toBe(t('export.ready', { count: file.history.length }));
    expect((card.content as { sizeInBytes: number }).sizeInBytes).toBe(Buffer.byteLength(json));
    expect(teams.connector.sentTo(PERSONAL.id).at(-1)?.attachments?.[0]?.contentType).toBe(FILE_INFO);
  });

  it('/delete and the confirm button erase the person from history, profiles, subjects and data keys', async () => {
    const { t, erased } = textsIn(engine.testApp, 'en');
    await consentToAll();
    await turn(message(serviceUrl, 'call me Sam Example'));
    await turn(message(serviceUrl, 'the tulips in my garden are yellow'));

    const [explain, ...moreExplain] = await turn(message(serviceUrl, 'delete'));
    expect(moreExplain).toEqual([]);
    expect(cardOf(explain).actions.map((action) => action.title)).toEqual([
      t('delete.confirmButton'),
      t('delete.cancelButton'),
    ]);
    // Nothing is erased before the confirmation, which the dialog now waits for.
    await engine.expectErasurePending();

    const done = await turn(press(explain, t('delete.confirmButton')));

    expect(done).toEqual([expect.objectContaining({ type: 'message', text: erased })]);
    await engine.expectErased();
  });
});
