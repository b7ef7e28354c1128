import { BOT, GROUP, USER, message } from '../../teams/activities';
import { startTeamsHarness } from '../../teams/harness';
import type { AdapterDriver } from './driver';

/** A group chat message that @mentions the bot; private replies go to the speaker's personal chat. */
export const teamsDriver: AdapterDriver = {
  name: 'teams',
  async speakInGroup(replies, { speakerReachable }) {
    const teams = await startTeamsHarness();
    try {
      teams.reply = () => replies;
      if (!speakerReachable) teams.connector.createConversationStatus = 403;
      const url = teams.connector.serviceUrl;
      await teams.post(
        message(url, `<at>${BOT.name}</at> /mydata`, {
          conversation: GROUP,
          entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
        }),
      );
      const textsIn = (conversationId: string) =>
        teams.connector.sentTo(conversationId).map((sent) => JSON.stringify(sent));
      return {
        incoming: teams.received,
        visibleToGroup: textsIn(GROUP.id),
        visibleToSpeakerOnly: textsIn(teams.connector.personalConversationOf(USER.id)),
      };
    } finally {
      await teams.close();
    }
  },
};
