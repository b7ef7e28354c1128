import { textReply } from '../../../src/core/messages';
import type { SentAttachment } from '../../support/teams-connector-double';
import { GROUP, PERSONAL, fileConsentInvoke, groupMention, message } from './activities';
import { useTeamsHarness } from './harness';

const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

interface ConsentContent {
  readonly sizeInBytes: number;
  readonly acceptContext: { readonly pendingFileId: string };
  readonly declineContext: { readonly pendingFileId: string };
}

const exportBytes = Buffer.from(JSON.stringify({ schemaVersion: 1, profile: { language: 'de' } }));
const exportReply = textReply('Hier ist dein Export.', {
  file: { name: 'my-data.json', mime: 'application/json', bytes: exportBytes },
});

describe('TeamsChannel file exports', () => {
  const teams = useTeamsHarness({}, () => [exportReply]);

  /** Ask for the export in the personal chat and return the consent card Teams would show. */
  async function requestExport(): Promise<SentAttachment & { content: ConsentContent }> {
    await teams.post(message(teams.serviceUrl, '/export'));
    const sent = teams.connector.sentTo(PERSONAL.id);
    expect(sent.map((a) => a.text ?? a.attachments?.[0]?.contentType)).toEqual([
      'Hier ist dein Export.',
      FILE_CONSENT,
    ]);
    const card = sent[1]!.attachments![0]!;
    return { ...card, content: card.content as ConsentContent };
  }

  function accept(pendingFileId: unknown, uploadUrl: string) {
    return fileConsentInvoke(teams.serviceUrl, {
      type: 'fileUpload',
      action: 'accept',
      context: { pendingFileId },
      uploadInfo: {
        contentUrl: 'https://contoso-my.sharepoint.com/personal/ana/Documents/Applications/my-data.json',
        name: 'my-data.json',
        uploadUrl,
        uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
        fileType: 'json',
      },
    });
  }

  it('offers a FileConsentCard, uploads on accept, shows a FileInfoCard and answers the invoke 200', async () => {
    const consent = await requestExport();
    expect(consent).toMatchObject({ name: 'my-data.json', content: { sizeInBytes: exportBytes.length } });
    const { pendingFileId } = consent.content.acceptContext;
    expect(consent.content.declineContext).toEqual({ pendingFileId });
    teams.connector.reset();

    const response = await teams.post(accept(pendingFileId, teams.connector.uploadUrl('my-data.json')));

    expect(response.status).toBe(200);
    expect(teams.connector.uploads).toHaveLength(1);
    expect(teams.connector.uploads[0]!.bytes.equals(exportBytes)).toBe(true);
    expect(teams.connector.uploads[0]!.contentRange).toBe(
      `bytes 0-${exportBytes.length - 1}/${exportBytes.length}`,
    );
    const [info] = teams.connector.sentTo(PERSONAL.id);
    expect(info!.attachments).toEqual([
      {
        contentType: FILE_INFO,
        contentUrl: 'https://contoso-my.sharepoint.com/personal/ana/Documents/Applications/my-data.json',
        name: 'my-data.json',
        content: { uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D', fileType: 'json' },
      },
    ]);
    // The consent answer is the adapter's business: the engine only ever saw the request.
    expect(teams.received.map((m) => m.text)).toEqual(['/export']);
  });

  it('uploads at most once: a replayed accept finds nothing and says the export expired', async () => {
    const { pendingFileId } = (await requestExport()).content.acceptContext;
    await teams.post(accept(pendingFileId, teams.connector.uploadUrl('my-data.json')));
    teams.connector.reset();

    const replay = await teams.post(accept(pendingFileId, teams.connector.uploadUrl('my-data.json')));

    expect(replay.status).toBe(200);
    expect(teams.connector.uploads).toHaveLength(0);
    expect(teams.connector.sentTo(PERSONAL.id)[0]!.text).toMatch(/nicht mehr verfügbar/);
  });

  it('does not hand the export to another conversation', async () => {
    const { pendingFileId } = (await requestExport()).content.acceptContext;
    teams.connector.reset();
    const elsewhere = { ...accept(pendingFileId, teams.connector.uploadUrl('x.json')), conversation: GROUP };
    await teams.post(elsewhere);
    expect(teams.connector.uploads).toHaveLength(0);
  });

  it('on decline uploads nothing and says the export was not sent', async () => {
    const { pendingFileId } = (await requestExport()).content.declineContext;
    teams.connector.reset();

    const response = await teams.post(
      fileConsentInvoke(teams.serviceUrl, {
        type: 'fileUpload',
        action: 'decline',
        context: { pendingFileId },
      }),
    );

    expect(response.status).toBe(200);
    expect(teams.connector.uploads).toHaveLength(0);
    expect(teams.connector.sentTo(PERSONAL.id)[0]!.text).toMatch(/nicht gesendet/);
  });

  it('tells the person when the upload fails, still answering the invoke 200', async () => {
    const { pendingFileId } = (await requestExport()).content.acceptContext;
    teams.connector.reset();
    teams.connector.uploadStatus = 500;

    const response = await teams.post(accept(pendingFileId, teams.connector.uploadUrl('my-data.json')));

    expect(response.status).toBe(200);
    expect(teams.connector.sentTo(PERSONAL.id)[0]!.text).toMatch(/nicht hochgeladen/);
  });

  it('answers an unreadable consent invoke with 400', async () => {
    const response = await teams.post(fileConsentInvoke(teams.serviceUrl, { action: 'accept' }));
    expect(response.status).toBe(400);
    expect(teams.connector.activities).toHaveLength(0);
  });

  it('sends the file inline as a data: URL where consent cards do not exist (Emulator)', async () => {
    await teams.post(
      message(teams.serviceUrl, '/export', { channelId: 'emulator', conversation: { id: 'emu-1' } }),
    );

    const [text, file] = teams.connector.sentTo('emu-1');
    expect(text!.text).toBe('Hier ist dein Export.');
    expect(file!.attachments![0]).toEqual({
      contentType: 'application/json',
      name: 'my-data.json',
      contentUrl: `data:application/json;base64,${exportBytes.toString('base64')}`,
    });
  });

  it('never posts an export into a group chat', async () => {
    await teams.post(groupMention(teams.serviceUrl, '/export'));

    const sent = teams.connector.sentTo(GROUP.id);
    expect(sent.map((a) => a.text)).toEqual([
      'Hier ist dein Export.',
      expect.stringMatching(/persönlichen Chat/),
    ]);
    expect(JSON.stringify(sent)).not.toContain(exportBytes.toString('base64'));
  });
});
