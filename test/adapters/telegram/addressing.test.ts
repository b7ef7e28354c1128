import { ownMentions, withoutMentions } from '../../../adapters/telegram/addressing';

const bot = { username: 'PrivacyTestBot', id: 7000001 };

function mention(text: string, named: string) {
  return { type: 'mention', offset: text.indexOf(named), length: named.length };
}

describe('withoutMentions', () => {
  it.each([
    ['@PrivacyTestBot stop', 'stop'],
    ['@PrivacyTestBot, stop', 'stop'],
    ['@PrivacyTestBot: opt out', 'opt out'],
    ['what do you store, @PrivacyTestBot?', 'what do you store?'],
    ['hey @PrivacyTestBot what is kept', 'hey what is kept'],
    ['thanks @PrivacyTestBot', 'thanks'],
    ['@PrivacyTestBot /mydata', '/mydata'],
    ['@PrivacyTestBot', '@PrivacyTestBot'],
  ])('%j becomes %j', (text, expected) => {
    const spans = ownMentions({ text, entities: [mention(text, '@PrivacyTestBot')] }, bot);
    expect(spans).toHaveLength(1);
    expect(withoutMentions(text, spans)).toBe(expected);
  });

  it('counts offsets in UTF-16 code units, as Telegram does', () => {
    const text = '😀 @PrivacyTestBot stop';
    const spans = ownMentions({ text, entities: [{ type: 'mention', offset: 3, length: 15 }] }, bot);
    expect(withoutMentions(text, spans)).toBe('😀 stop');
  });
});

describe('ownMentions', () => {
  it('finds only this bot, by username in any case or by id', () => {
    const text = '@grace @PRIVACYTESTBOT Privacy Bot @PrivacyTestBotX';
    const entities = [
      mention(text, '@grace'),
      mention(text, '@PRIVACYTESTBOT'),
      { type: 'text_mention', offset: 23, length: 11, user: { id: bot.id } },
      mention(text, '@PrivacyTestBotX'),
      { type: 'text_mention', offset: 0, length: 6, user: { id: 515151 } },
    ];
    expect(ownMentions({ text, entities }, bot)).toEqual([
      { offset: 7, length: 15 },
      { offset: 23, length: 11 },
    ]);
  });

  it('finds nothing when the bot does not know who it is', () => {
    const text = '@PrivacyTestBot stop';
    const body = { text, entities: [mention(text, '@PrivacyTestBot')] };
    expect(ownMentions(body, { username: undefined, id: undefined })).toEqual([]);
  });
});
