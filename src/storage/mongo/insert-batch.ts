import type { Model } from 'mongoose';

/**
 * STORAGE-CONTRACT L3/H8: every document of a batch is validated before any is sent, so a batch
 * with one invalid entry stores none of it. (No transaction: a standalone mongod has none. Past
 * validation, an ordered insert can only stop half-way on a server failure, which the caller sees
 * as STORAGE_UNAVAILABLE.)
 */
export async function insertAllOrNone<T>(model: Model<T>, docs: readonly T[]): Promise<void> {
  if (docs.length === 0) return;
  const built = docs.map((doc) => new model(doc));
  await Promise.all(built.map((doc) => doc.validate()));
  await model.insertMany(built, { ordered: true });
}
