import { z } from 'zod';
import type { OutgoingMessage } from '../../src/core/messages';

/** One stdin line in `--json` mode: plain text, or an object saying who speaks and what. */
const lineSchema = z
  .object({
    text: z.string().optional(),
    action: z.string().min(1).optional(),
    /**
     * Press one of the buttons the bot last showed this user, by label or number, as a person at
     * a terminal would: consent buttons are signed for the person and the message they were shown
     * under, so a script cannot write their ids in advance.
     */
    press: z.string().min(1).max(200).optional(),
    user: z.string().min(1).max(200).optional(),
    locale: z.string().min(2).max(35).optional(),
  })
  .strict();

export type ScriptedLine = z.infer<typeof lineSchema>;

export type ParsedLine = { ok: true; line: ScriptedLine } | { ok: false; error: string };

export function parseLine(raw: string): ParsedLine {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('{')) return { ok: true, line: { text: raw } };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // Someone typed a brace: it is text, not a broken command.
    return { ok: true, line: { text: raw } };
  }
  const parsed = lineSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      // The zod issue code, not its message: a message can quote an unknown key, which is
      // whatever the person typed, and this error goes to the logs.
      error: parsed.error.issues
        .map(
          (issue) =>
            `${issue.code === 'unrecognized_keys' ? 'line' : issue.path.join('.') || 'line'}: ${issue.code}`,
        )
        .join('; '),
    };
  }
  return { ok: true, line: parsed.data };
}

/** One stdout line per bot reply: `{"user","text","actions":[{"id","label"}],"file"?}`. */
export function formatReply(user: string, reply: OutgoingMessage): string | undefined {
  if (reply.kind !== 'text') return undefined;
  return JSON.stringify({
    user,
    text: reply.text,
    actions: (reply.actions ?? []).map(({ id, label }) => ({ id, label })),
    ...(reply.file
      ? {
          file: { name: reply.file.name, mime: reply.file.mime, base64: reply.file.bytes.toString('base64') },
        }
      : {}),
  });
}
