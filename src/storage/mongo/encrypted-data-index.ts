import type { Connection } from 'mongoose';
import type { EncryptedDataIndex } from '../ports';
import { guarded } from './guard';
import { historyEntryModel } from './models/history-entry';
import { profileModel } from './models/profile';

/** EncryptedDataIndex on MongoDB: the subjects of `history` and `profiles`, expired or not. */
export class MongoEncryptedDataIndex implements EncryptedDataIndex {
  constructor(private readonly connection: Connection) {}

  subjectsWithEncryptedData(): Promise<string[]> {
    return guarded('encryptedData.subjects', async () => {
      const history = await historyEntryModel(this.connection).distinct('subjectId').exec();
      const profiles = await profileModel(this.connection).distinct('_id').exec();
      return [...new Set([...history, ...profiles])].sort();
    });
  }
}
