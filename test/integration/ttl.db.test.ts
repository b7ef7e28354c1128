import { conversationStateModel } from '../../src/storage/mongo/models/conversation-state';
import { consentLedgerModel } from '../../src/storage/mongo/models/consent-ledger';
import { subjectModel } from '../../src/storage/mongo/models/subject';
import { openTestDatabase } from '../support/db';

describe('retention through TTL indexes on a real mongod', () => {
  it('declares a TTL index with expireAfterSeconds 0 on every personal collection', async () => {
    const db = await openTestDatabase();
    for (const model of [subjectModel, consentLedgerModel, conversationStateModel]) {
      const indexes = await model(db.connection).listIndexes();
      expect(indexes).toEqual(
        expect.arrayContaining([expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 })]),
      );
    }
    await db.drop();
  });

  it('lets mongod delete an expired personal document by itself', async () => {
    const db = await openTestDatabase();
    const states = conversationStateModel(db.connection);
    await states.create([
      { _id: 'expired', subjectId: 's', updatedAt: new Date(), expiresAt: new Date(Date.now() - 1000) },
      { _id: 'alive', subjectId: 's', updatedAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000) },
    ]);
    // The test mongod runs its TTL monitor every second (ttlMonitorSleepSecs=1).
    const deadline = Date.now() + 20_000;
    while ((await states.exists({ _id: 'expired' })) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(await states.exists({ _id: 'expired' })).toBeNull();
    expect(await states.exists({ _id: 'alive' })).not.toBeNull();
    await db.drop();
  });
});
