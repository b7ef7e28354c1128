import { z } from 'zod';
import { BREACH_KINDS } from '../breach';
import { PURPOSES } from '../purposes';
import { PROFILE_FIELDS } from '../profile-fields';
import { RIGHTS_REQUEST_TYPES } from './request-types';

/**
 * The /export file (GDPR Art. 15(3), 20: structured, commonly used, machine-readable).
 * README.md documents it; docs/export-format.schema.json is generated from this schema
 * (`npm run privacy -- schema`) and a test keeps the two equal. Change the shape only together
 * with EXPORT_FORMAT_VERSION.
 */
export const EXPORT_FORMAT = 'privacy-first-chatbot/export';
/** 2 added `breachNotices`. */
export const EXPORT_FORMAT_VERSION = 2;

const isoDate = z.iso.datetime();
const purposeChoices = z.object(
  Object.fromEntries(PURPOSES.map((p) => [p, z.boolean()])) as Record<
    (typeof PURPOSES)[number],
    z.ZodBoolean
  >,
);

export const exportFileSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_FORMAT_VERSION),
    generatedAt: isoDate,
    subject: z.object({
      pseudonymousId: z
        .string()
        .describe('The id every record about you is stored under (an HMAC of your account id).'),
      restricted: z.boolean().describe('Processing restricted (GDPR Art. 18).'),
    }),
    consent: z
      .object({
        policyVersion: z.string(),
        decidedAt: isoDate,
        purposes: purposeChoices,
        underAge: z
          .boolean()
          .describe('You answered the age screen below the consent age: nothing is stored.'),
      })
      .nullable()
      .describe('Your consent choices in force, or null when none is recorded.'),
    consentLedger: z.array(
      z.object({
        purpose: z.enum(PURPOSES),
        decision: z.enum(['granted', 'denied', 'withdrawn']),
        policyVersion: z.string(),
        noticeHash: z.string().describe('SHA-256 of the exact notice text you saw.'),
        locale: z.string(),
        channel: z.string(),
        at: isoDate,
      }),
    ),
    profile: z
      .object({
        fields: z.object(Object.fromEntries(PROFILE_FIELDS.map((f) => [f, z.string().optional()]))),
        updatedAt: isoDate,
        expiresAt: isoDate.nullable(),
      })
      .nullable(),
    history: z.array(
      z.object({
        at: isoDate,
        speaker: z.enum(['person', 'bot']),
        text: z.string(),
        conversation: z.string().describe('Pseudonymous conversation id.'),
        tag: z.string().optional(),
        expiresAt: isoDate.nullable().describe('Null while restricted: expiry paused.'),
      }),
    ),
    rightsRequests: z.array(
      z.object({
        id: z.string(),
        type: z.enum(RIGHTS_REQUEST_TYPES),
        origin: z.string(),
        receivedAt: isoDate,
        dueAt: isoDate,
        completedAt: isoDate.optional(),
        status: z.enum(['open', 'completed', 'failed']),
        outcome: z.string().optional(),
      }),
    ),
    breachNotices: z
      .array(
        z.object({
          breachId: z.string(),
          what: z
            .string()
            .describe(
              `What happened: a kind (${Object.keys(BREACH_KINDS).join(', ')}) or the operator's short description.`,
            ),
          occurredAt: isoDate,
          recordedAt: isoDate,
          affected: z
            .enum(['listed', 'everyone'])
            .describe(
              'listed: you were named as affected; everyone: it concerned everyone the bot held data about.',
            ),
          notifiedAt: isoDate
            .nullable()
            .describe('When you were shown the notice; null until your next message.'),
          expiresAt: isoDate.describe('When this record of the breach and its notice is deleted.'),
        }),
      )
      .describe('Personal data breaches that concerned you and the notices addressed to you (GDPR Art. 34).'),
    counts: z.object({ history: z.number().int().min(0), consentLedger: z.number().int().min(0) }),
  })
  .strict();

export type ExportFile = z.infer<typeof exportFileSchema>;

/** The JSON Schema (draft 2020-12) published in docs/. */
export function exportJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://github.com/privacy-first-chatbot/schemas/export-v${EXPORT_FORMAT_VERSION}.json`,
    title: 'Privacy-first chatbot data export',
    ...z.toJSONSchema(exportFileSchema),
  };
}
