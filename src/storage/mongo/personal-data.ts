import type { Connection } from 'mongoose';
import type { ErasedData, PersonalDataEraser } from '../ports';
import { guarded } from './guard';
import { conversationStateModel } from './models/conversation-state';
import { historyEntryModel } from './models/history-entry';
import { profileModel } from './models/profile';
import { subjectModel } from './models/subject';

/**
 * One person's consent state, dialog state, history and profile. No transaction (a standalone
 * server has none), so the consent state goes first: if a later delete fails, no turn stores
 * anything new for the person meanwhile, and a rerun deletes the rest.
 */
export class MongoPersonalDataEraser implements PersonalDataEraser {
  constructor(private readonly connection: Connection) {}

  eraseAllOf(subjectId: string): Promise<ErasedData> {
    const { connection } = this;
    return guarded('personalData.eraseAllOf', async () => {
      const subject = await subjectModel(connection).deleteOne({ _id: subjectId }).exec();
      const conversations = await conversationStateModel(connection).deleteMany({ subjectId }).exec();
      const history = await historyEntryModel(connection).deleteMany({ subjectId }).exec();
      const profile = await profileModel(connection).deleteOne({ _id: subjectId }).exec();
      return {
        consentState: subject.deletedCount > 0,
        conversations: conversations.deletedCount,
        history: history.deletedCount,
        profile: profile.deletedCount > 0,
      };
    });
  }
}
