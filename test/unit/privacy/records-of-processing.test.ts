import mongoose, { type Schema } from 'mongoose';
import { loadConfig } from '../../../src/config/config';
import { recordsOfProcessing } from '../../../src/privacy/records-of-processing';
import { registerModels } from '../../../src/storage/mongo/stores';

/**
 * The records of processing must describe what the code stores: every collection a model writes,
 * every field of it. The models are registered on a connection that never connects, so this
 * needs no database.
 */
const connection = mongoose.createConnection();
registerModels(connection);
const models = Object.values(connection.models);
const rows = recordsOfProcessing(loadConfig({}));
const rowOf = (collection: string) => rows.find((row) => row.collection === collection);

/** Top-level fields: `purposes.history` counts as `purposes`; an automatic ObjectId `_id` is left out. */
function topLevelFields(schema: Schema): string[] {
  const fields = new Set<string>();
  schema.eachPath((name, type) => {
    if (name === '_id' && type.instance === 'ObjectId') return;
    fields.add(name.split('.')[0]!);
  });
  return [...fields];
}

afterAll(() => connection.close());

describe('records of processing (GDPR Art. 30)', () => {
  it('has a row for every collection registerModels registers, and no other', () => {
    const collections = models.map((model) => model.collection.collectionName).sort();
    expect(collections.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.collection).sort()).toEqual(collections);
  });

  it.each(models.map((model) => [model.collection.collectionName, model] as const))(
    '%s: lists exactly the fields of its schema',
    (collection, model) => {
      const row = rowOf(collection)!;
      // Listed in the table but not in the schema (a renamed or removed field).
      const unknown = row.fields.filter((field) => model.schema.pathType(field) === 'adhocOrUndefined');
      expect(unknown).toEqual([]);
      expect([...row.fields].sort()).toEqual(topLevelFields(model.schema).sort());
    },
  );

  it.each(models.map((model) => [model.collection.collectionName, model] as const))(
    '%s: a retention period means a TTL index on expiresAt, "until erasure" means none',
    (collection, model) => {
      const row = rowOf(collection)!;
      const ttl = model.schema
        .indexes()
        .some(([keys, options]) => 'expiresAt' in keys && options?.expireAfterSeconds === 0);
      expect(ttl).toBe(row.retentionMs !== null || row.retentionMonths !== null);
    },
  );

  it('fills every column and takes retention from the configuration', () => {
    for (const row of rows) {
      for (const text of [row.category, row.purpose, row.legalBasis, row.retention, row.protection])
        expect(text.length).toBeGreaterThan(0);
      expect(row.legalBasis).toMatch(/Art\. 6\(1\)\([a-f]\)/);
    }
    expect(rowOf('conversation_state')!.retention).toMatch(/^24 hours /);
    expect(rowOf('consent_ledger')!.retention).toMatch(/^24 calendar months /);
    expect(rowOf('rights_requests')!.retentionMonths).toBe(24);
    expect(rowOf('subjects')!.retention).toMatch(
      /30 days after the answer for someone below CONSENT_MIN_AGE/,
    );
    const custom = recordsOfProcessing(
      loadConfig({ RETENTION_HISTORY_DAYS: '7', RETENTION_STATE_HOURS: '1' }),
    );
    const byName = (name: string) => custom.find((row) => row.collection === name)!;
    expect(byName('history').retention).toMatch(/^7 days /);
    expect(byName('history').retentionMs).toBe(7 * 24 * 60 * 60 * 1000);
    expect(byName('conversation_state').retention).toMatch(/^1 hour /);
    expect(byName('data_keys').retention).toBe('until erasure (crypto-shredding)');
    expect(byName('history').protection).toMatch(/AES-256-GCM/);
    expect(byName('profiles').protection).toMatch(/AES-256-GCM/);
  });

  it('names KMS as the key wrapper when KEY_PROVIDER=aws', () => {
    const aws = recordsOfProcessing(loadConfig({ KEY_PROVIDER: 'aws', KMS_KEY_ID: 'alias/bot' }));
    expect(aws.find((row) => row.collection === 'data_keys')!.protection).toMatch(/^wrapped by AWS KMS/);
  });
});
