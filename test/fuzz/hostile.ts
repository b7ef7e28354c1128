import fc from 'fast-check';

/**
 * Building blocks for hostile platform input: text that is long, invisible, reversed or
 * malformed, values of the wrong type, and fields that may be missing. Shared by the adapter
 * mapping properties and the engine property.
 */

/** C0 and C1 controls, DEL, and the line and paragraph separators. */
const CONTROLS = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  '\u0085',
  '\u009b',
  '\u2028',
  '\u2029',
];

/** Bidi overrides, embeddings, isolates and marks: text that displays other than it reads. */
const BIDI = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
];

/** Invisible, combining, surrogate halves, and characters whose case mapping changes length. */
const ODD = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\ufeff',
  '\u00ad',
  '\u0301',
  '\u034f',
  '\ud800',
  '\udfff',
  '\ufffd',
  '\uffff',
  'İ',
  'ß',
  'ﬃ',
  '😀',
  '👩‍👩‍👧',
  '🏳️‍🌈',
  '\u3000',
];

/** Pieces that mean something to a parser somewhere: commands, mentions, markup, ids. */
export const TOKENS = [
  '/',
  '/start',
  '/privacy',
  '/delete',
  '/export',
  '/mydata',
  '/stop',
  '/consent',
  '/remember',
  '/language',
  '/privacy@PrivacyTestBot',
  '/privacy@SomeOtherBot',
  '@PrivacyTestBot',
  '@someone',
  'stop',
  'opt out',
  'abmelden',
  'darme de baja',
  'DELETE',
  'remember that ',
  'call me ',
  'what did I tell you?',
  '<at>Bot</at>',
  '<at>Ana</at>',
  '<@100>',
  '<@!100>',
  '<@&5>',
  '@everyone',
  '[Reset](https://evil.example)',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{constructor}}',
  '__proto__',
  '%s%n',
  '\\u0000',
  'consent:age:111:adult:en',
  'delete:confirm:zzzz',
  '~t:',
  '~',
  '  ',
  '\r\n',
];

const hostileChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CONTROLS, ...BIDI, ...ODD) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.constantFrom(...TOKENS) },
);

/** Up to `maxLength` pieces: mostly short, sometimes empty, always hostile. */
export function hostileText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: hostileChar, maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: maxLength * 4 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u202e', '\u0000', '/', '\ud800') },
    { weight: 1, arbitrary: hugeText },
  );
}

/** Past every platform's limit (Telegram 4096, Discord 2000/4000, Teams ~28 KB): 4,000 to 360,000 characters. */
const hugeText: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('a', 'é', '\u202e', '😀', '/x ', '<at>Bot</at>', '\u0000'),
    fc.integer({ min: 4000, max: 30_000 }),
  )
  .map(([unit, times]) => unit.repeat(times));

/** Any value a JSON body (or a careless library) could put where a field is expected. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -0, 2 ** 53 + 1),
  fc.string({ maxLength: 8 }),
  fc.constant(''),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

type Mutation = readonly [pick: number, kind: 'delete' | 'wrong-type' | 'huge', value: unknown];

const mutation: fc.Arbitrary<Mutation> = fc.tuple(
  fc.nat(),
  fc.constantFrom('delete' as const, 'wrong-type' as const, 'huge' as const),
  wrongType,
);

const HUGE = ['A'.repeat(70_000), '\u202e'.repeat(5000), '<at>x</at>'.repeat(3000)];

/**
 * A value as it comes off the wire: the well-formed value `arb` made, with up to `max` fields
 * anywhere in it (found depth first) deleted, given a value of the wrong type, or made huge. A
 * third of the values stay as they were, so the mapping is reached both with intact updates
 * and with updates broken in one or two places, deep inside or at the top.
 */
export function corrupted<T extends object>(arb: fc.Arbitrary<T>, max = 2): fc.Arbitrary<T> {
  return fc.tuple(arb, fc.array(mutation, { maxLength: max })).map(([value, mutations]) => {
    const copy = clone(value);
    for (const [pick, kind, wrong] of mutations) {
      const slots = slotsOf(copy);
      if (slots.length === 0) break;
      const [parent, key] = slots[pick % slots.length]!;
      if (kind === 'delete') delete parent[key];
      else if (kind === 'wrong-type') parent[key] = wrong;
      else parent[key] = HUGE[pick % HUGE.length];
    }
    return copy;
  });
}

/** A deep copy in this realm (jest's structuredClone makes objects of another realm's Object). */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clone(inner)])) as T;
}

type Slot = [Record<string, unknown>, string];

function slotsOf(value: unknown, into: Slot[] = []): Slot[] {
  if (typeof value !== 'object' || value === null || value instanceof Date) return into;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    into.push([record, key]);
    slotsOf(record[key], into);
  }
  return into;
}

/** Present in about one value of `freq` (1.5: two in three): a field not every update carries. */
export function sometimes<T>(arb: fc.Arbitrary<T>, freq = 6): fc.Arbitrary<T | undefined> {
  const present = Math.max(1, Math.round(12 / freq));
  return fc.oneof(
    { weight: 12 - present, arbitrary: fc.constant(undefined) },
    { weight: present, arbitrary: arb },
  );
}

/** Drops the keys whose value is undefined, as JSON would never carry them. */
export function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/**
 * A unique, easily searched marker that occurs nowhere by chance: text or an id that carries it
 * can be found in any log line or stored byte. A counter, not randomness, so runs reproduce.
 */
let canaries = 0;
export function canary(prefix: string): string {
  canaries += 1;
  return `${prefix}Qz${canaries}Xk9Vw`;
}
