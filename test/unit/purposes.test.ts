import { decodeChoices, encodeChoices } from '../../src/privacy/purposes';

describe('purpose choices in button ids', () => {
  it('round-trip', () => {
    const choices = { history: true, personalization: false, analytics: true };
    expect(encodeChoices(choices)).toBe('101');
    expect(decodeChoices('101')).toEqual(choices);
  });

  it('reject anything else', () => {
    expect(decodeChoices('1011')).toBeUndefined();
    expect(decodeChoices('abc')).toBeUndefined();
    expect(decodeChoices(undefined)).toBeUndefined();
  });
});
