import { textReply } from '../../../src/core/messages';
import { BOT, GROUP, PERSONAL, USER, fileConsentInvoke, groupMention, message } from './activities';
import { parsedLogs, startTeamsHarness, type TeamsHarness } from './harness';

/**
 * Issue 12, defect 2: a reply marked privateToSpeaker in a channel or group chat goes to the
 * speaker's personal chat (createConversation), or, when Teams will not open one, is replaced in
 * the group by a pointer. It never appears in the group.
 */
describe('TeamsChannel replies meant for the speaker only', () => {
  let teams: TeamsHarness;
  let serviceUrl: string;
  let personal: string;
  const secret = 'Gespeichert über dich: Ersatzschlüssel unter dem Blumentopf';

  beforeAll(async () => {
    teams = await startTeamsHarness();
    serviceUrl = teams.connector.serviceUrl;
    personal = teams.connector.personalConversationOf(USER.id);
  });
  afterAll(() => teams.close());
  beforeEach(() => teams.reset());

  it('opens the speaker’s personal chat and delivers the reply there, in order with the public ones', async () => {
    teams.reply = () => [
      textReply('Ich schreibe dir privat.'),
      textReply(secret, { privateToSpeaker: true }),
    ];

    const response = await teams.post(groupMention(serviceUrl, '/mydata'));

    expect(response.status).toBe(200);
    expect(teams.connector.sentTo(GROUP.id).map((sent) => sent.text)).toEqual(['Ich schreibe dir privat.']);
    expect(teams.connector.sentTo(personal).map((sent) => sent.text)).toEqual([secret]);
    expect(teams.connector.createdConversations.map((created) => created.parameters)).toEqual([
      {
        isGroup: false,
        bot: BOT,
        members: [USER],
        tenantId: GROUP.tenantId,
        channelData: { tenant: { id: GROUP.tenantId } },
      },
    ]);
    expect(JSON.stringify(teams.connector.sentTo(GROUP.id))).not.toContain('Ersatzschlüssel');
  });

  it('posts a neutral pointer in the person’s language when Teams will not open a personal chat', async () => {
    teams.connector.createConversationStatus = 403;
    teams.reply = () => [textReply(secret, { privateToSpeaker: true })];

    await teams.post(groupMention(serviceUrl, '/mydata'));

    const inGroup = teams.connector.sentTo(GROUP.id);
    expect(inGroup.map((sent) => sent.text)).toEqual([expect.stringMatching(/persönlichen Chat/)]);
    expect(JSON.stringify(teams.connector.activities)).not.toContain('Ersatzschlüssel');
    const logged = parsedLogs(teams.logs).find((entry) => entry.code === 'TEAMS_NO_PERSONAL_CHAT');
    expect(logged).toMatchObject({ activityId: expect.any(String) });
    expect(teams.logs.join('\n')).not.toContain(USER.id);
  });

  it('posts a reply marked publicFallback (a pointer itself) in the group when the personal chat is refused', async () => {
    teams.connector.createConversationStatus = 403;
    teams.reply = () => [
      textReply('Bitte schreib mir in einem persönlichen Chat.', {
        privateToSpeaker: true,
        publicFallback: true,
      }),
    ];
    await teams.post(groupMention(serviceUrl, 'hallo'));
    expect(teams.connector.sentTo(GROUP.id).map((sent) => sent.text)).toEqual([
      'Bitte schreib mir in einem persönlichen Chat.',
    ]);
  });

  it('offers a private file in the personal chat, where accepting it uploads', async () => {
    const bytes = Buffer.from('{"history":["geheim"]}');
    teams.reply = () => [
      textReply('Dein Export', {
        privateToSpeaker: true,
        file: { name: 'my-data.json', mime: 'application/json', bytes },
      }),
    ];
    await teams.post(groupMention(serviceUrl, '/export'));

    expect(teams.connector.sentTo(GROUP.id)).toEqual([]);
    const [text, offer] = teams.connector.sentTo(personal);
    expect(text?.text).toBe('Dein Export');
    const card = offer!.attachments![0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.teams.card.file.consent');
    const { acceptContext } = card.content as { acceptContext: unknown };

    const accepted = await teams.post(
      fileConsentInvoke(
        serviceUrl,
        {
          action: 'accept',
          context: acceptContext,
          uploadInfo: {
            name: 'my-data.json',
            contentUrl: 'https://contoso-my.sharepoint.com/personal/ana/my-data.json',
            uploadUrl: teams.connector.uploadUrl('my-data.json'),
          },
        },
        { conversation: { id: personal, conversationType: 'personal', tenantId: GROUP.tenantId } },
      ),
    );
    expect(accepted.status).toBe(200);
    expect(teams.connector.uploads.map((upload) => upload.bytes.equals(bytes))).toEqual([true]);
  });

  it('answers in place in a personal chat, without opening another', async () => {
    teams.reply = () => [textReply(secret, { privateToSpeaker: true })];
    await teams.post(message(serviceUrl, '/mydata'));
    expect(teams.connector.sentTo(PERSONAL.id).map((sent) => sent.text)).toEqual([secret]);
    expect(teams.connector.createdConversations).toEqual([]);
  });

  it('points Emulator users in a group conversation to a personal chat (no second conversation there)', async () => {
    teams.reply = () => [textReply(secret, { privateToSpeaker: true })];
    await teams.post({ ...groupMention(serviceUrl, '/mydata'), channelId: 'emulator' });
    expect(teams.connector.createdConversations).toEqual([]);
    expect(teams.connector.sentTo(GROUP.id).map((sent) => sent.text)).toEqual([
      expect.stringMatching(/persönlichen Chat/),
    ]);
  });
});
