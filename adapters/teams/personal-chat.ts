import type { ConversationParameters, TurnContext } from 'botbuilder';
import type { Logger } from '../../src/logging/logger';
import { tenantIdsOf } from './admission';
import type { TeamsCloudAdapter } from './cloud-adapter';
import type { PersonalChat } from './reply-delivery';

/**
 * Opens the speaker's personal chat with the bot (Bot Connector createConversation; Teams returns
 * the existing one-to-one chat when there is one) and runs `deliver` there. Resolves false instead
 * of throwing: Teams refuses when the app is not installed for the person or in a team of theirs,
 * and the caller then posts a pointer. Logged by code and activity id only.
 */
export async function inPersonalChat(
  adapter: TeamsCloudAdapter,
  context: TurnContext,
  botAppId: string,
  logger: Logger,
  deliver: (chat: PersonalChat) => Promise<void>,
): Promise<boolean> {
  const { activity } = context;
  // Only Teams opens personal chats this way; the Emulator has no second conversation to offer.
  if (activity.channelId !== 'msteams') return false;
  const tenantId = tenantIdsOf(activity)[0];
  const parameters: ConversationParameters = {
    isGroup: false,
    bot: activity.recipient,
    members: [activity.from],
    ...(tenantId ? { tenantId } : {}),
    channelData: tenantId ? { tenant: { id: tenantId } } : {},
  };
  // The audience the incoming request was authenticated for, as botbuilder's own replies use.
  const audience = context.turnState.get<string | undefined>(adapter.OAuthScopeKey);
  let delivered = false;
  try {
    await adapter.createConversationAsync(
      botAppId,
      activity.channelId,
      activity.serviceUrl,
      audience as string,
      parameters,
      async (chatContext) => {
        // Caught here: a throw from this callback would reach onTurnError, which would post an
        // apology into the new chat.
        try {
          await deliver({
            conversationKey: chatContext.activity.conversation.id,
            send: async (activities) => {
              await chatContext.sendActivities(activities);
            },
          });
          delivered = true;
        } catch (error) {
          logger.warn(
            { err: error, activityId: activity.id, code: 'TEAMS_PRIVATE_SEND_FAILED' },
            'teams private reply not delivered',
          );
        }
      },
    );
  } catch (error) {
    logger.info(
      { err: error, activityId: activity.id, code: 'TEAMS_NO_PERSONAL_CHAT' },
      'teams personal chat not available: pointer posted instead',
    );
  }
  return delivered;
}
