import { exportFileSchema, type ExportFile } from '../../../src/privacy/rights/export-format';
import { type ExportHeader, renderExport } from '../../../src/privacy/rights/export';
import type { HistoryEntry } from '../../../src/storage/ports';

const header: ExportHeader = {
  format: 'privacy-first-chatbot/export',
  version: 2,
  generatedAt: '2026-11-22T10:00:00.000Z',
  subject: { pseudonymousId: 'a'.repeat(64), restricted: false },
  consent: {
    policyVersion: '2026-11-01',
    decidedAt: '2026-11-20T09:00:00.000Z',
    purposes: { history: true, personalization: false, analytics: false },
    underAge: false,
  },
  consentLedger: [
    {
      purpose: 'history',
      decision: 'granted',
      policyVersion: '2026-11-01',
      noticeHash: 'f'.repeat(64),
      locale: 'en',
      channel: 'console',
      at: '2026-11-20T09:00:00.000Z',
    },
  ],
  profile: null,
  rightsRequests: [],
  breachNotices: [],
};

function entry(index: number, text: string): HistoryEntry {
  return {
    id: `id${index}`,
    subjectId: 'a'.repeat(64),
    conversationId: 'c'.repeat(64),
    speaker: index % 2 === 0 ? 'person' : 'bot',
    text,
    at: new Date(Date.UTC(2026, 10, 21, 12, 0, index)),
    expiresAt: index === 2 ? null : new Date(Date.UTC(2026, 11, 21)),
    ...(index === 0 && { tag: 'note' }),
  };
}

async function* entries(texts: readonly string[]): AsyncGenerator<HistoryEntry> {
  for (const [index, text] of texts.entries()) yield entry(index, text);
}

async function render(
  texts: readonly string[],
): Promise<{ file: ExportFile; pieces: string[]; counted: number }> {
  const counts = { history: 0 };
  const pieces: string[] = [];
  for await (const piece of renderExport(header, entries(texts), counts)) pieces.push(piece);
  const file = exportFileSchema.parse(JSON.parse(pieces.join('')));
  return { file, pieces, counted: counts.history };
}

describe('the export file, rendered piece by piece', () => {
  it('is valid against the documented schema with no history at all', async () => {
    const { file, counted } = await render([]);
    expect(file.history).toEqual([]);
    expect(file.counts).toEqual({ history: 0, consentLedger: 1 });
    expect(counted).toBe(0);
    expect(file.consent?.purposes.history).toBe(true);
  });

  it('keeps every history line, in order, with text that needs escaping intact', async () => {
    const texts = ['remember that "quotes" and \\ work', 'Noted.\nNew line', 'ünïcödé 🙂', '</script>'];
    const { file, counted } = await render(texts);
    expect(file.history.map((line) => line.text)).toEqual(texts);
    expect(file.history[0]).toMatchObject({ speaker: 'person', tag: 'note', conversation: 'c'.repeat(64) });
    expect(file.history[2]!.expiresAt).toBeNull();
    expect(file.counts.history).toBe(4);
    expect(counted).toBe(4);
  });

  it('yields one piece per history line, so a large export is never one string in the making', async () => {
    const texts = Array.from({ length: 250 }, (_, index) => `message ${index}`);
    const { pieces, file } = await render(texts);
    // header, 250 lines, trailer
    expect(pieces).toHaveLength(252);
    expect(file.history).toHaveLength(250);
  });

  it('refuses a file with a field the format does not define', () => {
    const strictViolation = { ...header, history: [], counts: { history: 0, consentLedger: 1 }, extra: 1 };
    expect(exportFileSchema.safeParse(strictViolation).success).toBe(false);
  });
});
