import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { Action, TextReply } from '../../src/core/messages';
import type { ButtonIdCodec } from '../button-ids';

/** Discord's limits for one message (https://discord.com/developers/docs/resources/message). */
export const MAX_CONTENT_LENGTH = 2000;
const BUTTONS_PER_ROW = 5;
const ROWS_PER_MESSAGE = 5;
const BUTTONS_PER_MESSAGE = BUTTONS_PER_ROW * ROWS_PER_MESSAGE;
const MAX_LABEL_LENGTH = 80;

/** One Discord message to send; fits channel sends, interaction replies and follow-ups alike. */
export interface DiscordPayload {
  content?: string;
  components?: ActionRowBuilder<ButtonBuilder>[];
  files?: AttachmentBuilder[];
}

/**
 * Render one neutral text reply as one or more Discord messages: the text split at 2,000
 * characters, the buttons on the last text message (25 per message, further ones in extra
 * messages), the file on the last text message.
 */
export function renderTextReply(reply: TextReply, buttonIds: ButtonIdCodec): DiscordPayload[] {
  const payloads: DiscordPayload[] = splitText(reply.text, MAX_CONTENT_LENGTH).map((content) => ({
    content,
  }));
  const buttonGroups = chunk(uniqueById(reply.actions ?? []), BUTTONS_PER_MESSAGE);
  if (payloads.length === 0 && (reply.file || buttonGroups.length > 0)) payloads.push({});

  const last = payloads[payloads.length - 1];
  if (last && reply.file) {
    last.files = [new AttachmentBuilder(reply.file.bytes, { name: reply.file.name })];
  }
  buttonGroups.forEach((group, index) => {
    const components = buttonRows(group, buttonIds);
    if (index === 0 && last) last.components = components;
    else payloads.push({ components });
  });
  return payloads;
}

function buttonRows(actions: readonly Action[], buttonIds: ButtonIdCodec): ActionRowBuilder<ButtonBuilder>[] {
  return chunk(actions, BUTTONS_PER_ROW).map((row) =>
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      row.map((action) =>
        new ButtonBuilder()
          .setCustomId(buttonIds.encode(action.id).id)
          .setLabel(truncate(action.label, MAX_LABEL_LENGTH))
          // One style for every button: consent choices must be equally easy to pick, so no
          // option is highlighted over another (EDPB guidelines 03/2022 on deceptive design).
          .setStyle(ButtonStyle.Secondary),
      ),
    ),
  );
}

/** Discord rejects a message with two buttons sharing a custom_id; keep the first. */
function uniqueById(actions: readonly Action[]): Action[] {
  const seen = new Set<string>();
  return actions.filter((action) => !seen.has(action.id) && seen.add(action.id));
}

/**
 * Split text into pieces of at most `limit` UTF-16 units, preferring a line break, then a space,
 * and never cutting a surrogate pair in half.
 */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut <= 0) cut = rest.lastIndexOf(' ', limit);
    if (cut <= 0) cut = isLowSurrogate(rest.charCodeAt(limit)) ? limit - 1 : limit;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.trim().length > 0) pieces.push(rest);
  return pieces;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}
