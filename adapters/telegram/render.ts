import { Input } from 'telegraf';
import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Action, OutgoingMessage } from '../../src/core/messages';
import type { Logger } from '../../src/logging/logger';
import type { ButtonIdCodec } from '../button-ids';
import { splitText } from './split-text';
import type { ReplyTarget } from './to-incoming';

export type TelegramSender = Pick<Telegram, 'sendMessage' | 'sendDocument' | 'sendChatAction'>;

export interface RenderContext {
  readonly telegram: TelegramSender;
  readonly buttonIds: ButtonIdCodec;
  readonly logger: Logger;
  /** The only id logged with a failure: chat ids of private chats are user ids. */
  readonly updateId: number;
}

type SendMethod = 'sendMessage' | 'sendDocument' | 'sendChatAction';
interface Send {
  readonly method: SendMethod;
  readonly run: (keyboard: { reply_markup: InlineKeyboardMarkup } | undefined) => Promise<unknown>;
}

/**
 * Render one turn's replies in order. A failed send is logged by error code and ends the turn's
 * rendering: the remaining replies would arrive out of order or fail the same way (blocked bot,
 * deleted chat). Nothing is thrown, so one bad send never takes the process down.
 */
export async function renderReplies(
  replies: readonly OutgoingMessage[],
  target: ReplyTarget,
  context: RenderContext,
): Promise<void> {
  for (const reply of replies) {
    const sends = sendsFor(reply, target, context);
    const keyboard = reply.kind === 'text' ? inlineKeyboard(reply.actions ?? [], context) : undefined;
    if (sends.length === 0 && keyboard) {
      context.logger.warn({ updateId: context.updateId }, 'buttons without text dropped');
    }
    for (const [index, send] of sends.entries()) {
      // The keyboard rides on the last message so the buttons sit at the bottom of the chat.
      const isLast = index === sends.length - 1;
      if (!(await attempt(send, isLast ? keyboard : undefined, context))) return;
    }
  }
}

function sendsFor(reply: OutgoingMessage, target: ReplyTarget, context: RenderContext): Send[] {
  if (reply.kind === 'typing') {
    return [
      { method: 'sendChatAction', run: () => context.telegram.sendChatAction(target.chatId, 'typing') },
    ];
  }
  // Telegram has no message visible to one member of a group, so a private reply goes to the
  // speaker's own chat with the bot. If they never opened one, Telegram refuses (403): a reply
  // marked publicFallback (a pointer, nothing personal) then goes to the group; any other is
  // only logged, because posting it in the group would show the person's data to everyone there.
  const toSpeaker = reply.privateToSpeaker === true && !target.isPrivateChat;
  const chatId = toSpeaker ? target.speakerId : target.chatId;
  const fallbackChatId = toSpeaker && reply.publicFallback === true ? target.chatId : undefined;
  // Plain text (no parse_mode): nothing a person typed and the engine echoes can become markup.
  const sends: Send[] = splitText(reply.text).map((part) => ({
    method: 'sendMessage',
    run: (keyboard) =>
      withFallback(
        (chat) => context.telegram.sendMessage(chat, part, keyboard ?? {}),
        chatId,
        fallbackChatId,
        context,
      ),
  }));
  const file = reply.file;
  if (file) {
    sends.push({
      method: 'sendDocument',
      // The Bot API takes the type from the file name, not from a MIME field.
      run: (keyboard) =>
        context.telegram.sendDocument(
          chatId,
          Input.fromBuffer(file.bytes, safeFileName(file.name)),
          keyboard ?? {},
        ),
    });
  }
  return sends;
}

/** Telegram's answer when the bot may not write to a person first: they never started it. */
const FORBIDDEN = 403;

async function withFallback<T>(
  send: (chatId: number) => Promise<T>,
  chatId: number,
  fallbackChatId: number | undefined,
  context: RenderContext,
): Promise<T> {
  try {
    return await send(chatId);
  } catch (error) {
    if (fallbackChatId === undefined || (error as { code?: unknown }).code !== FORBIDDEN) throw error;
    context.logger.info(
      { updateId: context.updateId, code: 'TELEGRAM_NO_PRIVATE_CHAT' },
      'speaker has no private chat with the bot: pointer posted in the group',
    );
    return send(fallbackChatId);
  }
}

/** One button per row: localised labels vary a lot in length and two per row truncate on phones. */
function inlineKeyboard(
  actions: readonly Action[],
  context: RenderContext,
): { reply_markup: InlineKeyboardMarkup } | undefined {
  if (actions.length === 0) return undefined;
  const rows = actions.map((action) => {
    const { id: data, minted } = context.buttonIds.encode(action.id);
    if (minted)
      context.logger.warn({ updateId: context.updateId }, 'action id over 64 bytes, sent as a token');
    return [{ text: action.label, callback_data: data }];
  });
  return { reply_markup: { inline_keyboard: rows } };
}

async function attempt(
  send: Send,
  keyboard: { reply_markup: InlineKeyboardMarkup } | undefined,
  context: RenderContext,
): Promise<boolean> {
  try {
    await send.run(keyboard);
    return true;
  } catch (error) {
    context.logger.error(
      { err: error, method: send.method, updateId: context.updateId },
      'telegram send failed',
    );
    return false;
  }
}

/** telegraf writes the name into a multipart header unescaped; a quote or line break would break it. */
function safeFileName(name: string): string {
  const cleaned = name.replace(/["\\\p{Cc}]/gu, '_').trim();
  return cleaned === '' ? 'file' : cleaned;
}
