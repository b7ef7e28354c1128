import { I18n, LOCALES_DIR } from '../../../src/i18n/i18n';
import { localeFromHint } from '../../../src/i18n/locales';

describe('I18n', () => {
  const i18n = I18n.load(LOCALES_DIR, 'en');

  it('recognises command phrases from every language, whatever the punctuation or case', () => {
    expect(i18n.matchIntent('Opt out!')?.intent).toBe('stop');
    expect(i18n.matchIntent('abmelden')?.intent).toBe('stop');
    expect(i18n.matchIntent('  Stopp. ')?.intent).toBe('stop');
    expect(i18n.matchIntent('privacy policy?')?.intent).toBe('privacy');
    expect(i18n.matchIntent('please stop talking about the weather')?.intent).toBeUndefined();
  });

  it('passes the rest of the message to phrases that take arguments, as typed', () => {
    expect(i18n.matchIntent('Call me Sam O’Neil')).toEqual({ intent: 'callMe', args: 'Sam O’Neil' });
    expect(i18n.matchIntent('remember that: my locker is 12!')).toEqual({
      intent: 'remember',
      args: 'my locker is 12!',
    });
    // The longer phrase wins: "that" is not part of the note.
    expect(i18n.matchIntent('remember that x')?.args).toBe('x');
    // A phrase must end at a word boundary, and needs something after it.
    expect(i18n.matchIntent('call meeting at 5')).toBeUndefined();
    expect(i18n.matchIntent('call me')).toBeUndefined();
    // Whole phrases still match whole messages only.
    expect(i18n.matchIntent('What did I tell you?')).toEqual({ intent: 'recall', args: '' });
    expect(i18n.matchIntent('delete my data please')).toBeUndefined();
  });

  it('interpolates and pluralises', () => {
    expect(i18n.translator('en')('retention.days', { count: 1 })).toBe('1 day');
    expect(i18n.translator('en')('retention.days', { count: 30 })).toBe('30 days');
    expect(i18n.translator('de')('retention.days', { count: 30 })).toMatch(/30 Tage/);
  });

  it('maps platform language hints to the locales it speaks', () => {
    expect(localeFromHint('de-AT')).toBe('de');
    expect(localeFromHint('fr_CA')).toBe('fr');
    expect(localeFromHint('ES')).toBe('es');
    expect(localeFromHint('ja')).toBeUndefined();
    expect(localeFromHint(undefined)).toBeUndefined();
  });
});
