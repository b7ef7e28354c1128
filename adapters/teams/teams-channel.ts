import type { CloudAdapter, TurnContext } from 'botbuilder';
import express from 'express';
import type { Channel, TurnHandler } from '../../src/core/channel';
import { ConfigError } from '../../src/core/errors';
import type { IncomingMessage } from '../../src/core/messages';
import type { Logger } from '../../src/logging/logger';
import type { HttpServer } from '../http/http-server';
import { isActivityEnvelope, type InboundActivity, type OutboundActivity } from './activity-shape';
import { createCloudAdapter, type BotIdentity } from './cloud-adapter';
import { answerFileConsent } from './file-consent';
import type { FileConsentAnswer } from './file-consent-answer';
import { routeActivity } from './map-activity';
import { notice } from './notices';
import { PendingFiles, type PendingFilesOptions } from './pending-files';
import { renderReply, type ReplyScope } from './render-reply';
import { withTypingIndicator } from './typing-indicator';

export const MESSAGES_PATH = '/api/messages';

export interface TeamsChannelOptions extends BotIdentity {
  readonly http: HttpServer;
  readonly logger: Logger;
  /**
   * In production an app id is mandatory: without one, botbuilder accepts unsigned activities and
   * anyone could post as any Teams user (and ask for their export).
   */
  readonly appEnv?: 'development' | 'test' | 'production';
  readonly typingDelayMs?: number;
  readonly typingPeriodMs?: number;
  readonly pendingFiles?: PendingFilesOptions;
  readonly uploadTimeoutMs?: number;
  readonly now?: () => Date;
}

const DEFAULTS = {
  typingDelayMs: 1000,
  typingPeriodMs: 2500,
  // Long enough to read the card and press Allow; short enough that an export does not linger.
  pendingFiles: { maxEntries: 200, ttlMs: 10 * 60 * 1000 },
  uploadTimeoutMs: 10_000,
} as const;

/**
 * Microsoft Teams over the Bot Framework: POST /api/messages on the shared HTTP server, handled by
 * botbuilder's CloudAdapter. Everything botbuilder-specific stays in this file and
 * cloud-adapter.ts; mapping and rendering work on plain activity JSON (activity-shape.ts).
 */
export class TeamsChannel implements Channel {
  readonly name = 'teams';
  private readonly adapter: CloudAdapter;
  private readonly pendingFiles: PendingFiles;
  private readonly logger: Logger;
  private handler: TurnHandler | undefined;
  private mounted = false;
  private stopped = false;

  constructor(private readonly options: TeamsChannelOptions) {
    if (options.appEnv === 'production' && !options.appId) {
      throw new ConfigError(
        'MICROSOFT_APP_ID: required in production (without it /api/messages is unauthenticated)',
      );
    }
    this.logger = options.logger.child({ channel: 'teams' });
    this.adapter = createCloudAdapter(options);
    this.adapter.onTurnError = (context, error) => this.onTurnError(context, error);
    this.pendingFiles = new PendingFiles(options.pendingFiles ?? DEFAULTS.pendingFiles);
  }

  start(handler: TurnHandler): Promise<void> {
    this.handler = handler;
    this.stopped = false;
    if (!this.mounted) {
      this.options.http.app.post(
        MESSAGES_PATH,
        express.json({ limit: '1mb' }),
        (req: express.Request, res: express.Response) => this.receive(req, res),
        (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
          this.rejectRequest(error, res),
      );
      this.mounted = true;
    }
    if (!this.options.appId) {
      this.logger.warn('teams authentication is off (no MICROSOFT_APP_ID): for local testing only');
    }
    this.logger.info({ path: MESSAGES_PATH }, 'teams channel started');
    return Promise.resolve();
  }

  /** The HttpServer owner closes the server; here we only refuse new turns and drop parked exports. */
  stop(): Promise<void> {
    this.stopped = true;
    this.pendingFiles.clear();
    return Promise.resolve();
  }

  private async receive(req: express.Request, res: express.Response): Promise<void> {
    const handler = this.handler;
    if (this.stopped || !handler) {
      res.status(503).end();
      return;
    }
    if (!isActivityEnvelope(req.body)) {
      this.logger.warn({ code: 'TEAMS_BAD_ACTIVITY' }, 'teams activity rejected');
      res.status(400).end();
      return;
    }
    await this.adapter.process(req, res, (context) => this.onTurn(context, handler));
  }

  /**
   * Errors that reach express: unparseable JSON or an oversized body from the body parser (4xx), or
   * anything the adapter path rejected with (5xx). Logged by code only: parser messages quote the body.
   */
  private rejectRequest(error: unknown, res: express.Response): void {
    const status = (error as { status?: unknown }).status;
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    const code = clientError ? 'TEAMS_BAD_BODY' : 'TEAMS_REQUEST_FAILED';
    this.logger.warn({ err: error, code }, 'teams request rejected');
    if (!res.headersSent) res.status(clientError ? status : 500).end();
  }

  private async onTurn(context: TurnContext, handler: TurnHandler): Promise<void> {
    const activity: InboundActivity = context.activity;
    const route = routeActivity(activity, this.now());
    this.logger.debug(
      { activityId: context.activity.id, activityType: activity.type, route: route.kind },
      'teams turn',
    );
    if (route.kind === 'turn') await this.runTurn(context, route.message, handler);
    else if (route.kind === 'file-consent') await this.answerConsent(context, route.answer);
  }

  private async runTurn(context: TurnContext, message: IncomingMessage, handler: TurnHandler): Promise<void> {
    const replies = await withTypingIndicator(() => handler(message), {
      sendTyping: async () => {
        await context.sendActivity({ type: 'typing' });
      },
      delayMs: this.options.typingDelayMs ?? DEFAULTS.typingDelayMs,
      periodMs: this.options.typingPeriodMs ?? DEFAULTS.typingPeriodMs,
      onError: (error) => this.logger.warn({ err: error }, 'teams typing indicator failed'),
    });
    const scope: ReplyScope = {
      conversationKey: message.conversationKey,
      isPrivateChat: message.isPrivateChat,
      isTeamsClient: context.activity.channelId === 'msteams',
      locale: context.activity.locale,
    };
    for (const reply of replies) {
      const activities = renderReply(reply, scope, this.pendingFiles);
      if (activities.length > 0) await context.sendActivities(activities);
    }
  }

  /** The Bot Framework invoke contract: the HTTP response carries `{ status }` from an invokeResponse activity. */
  private async answerConsent(context: TurnContext, answer: FileConsentAnswer | undefined): Promise<void> {
    const outcome = await answerFileConsent(
      answer,
      context.activity.conversation.id,
      context.activity.locale,
      {
        pendingFiles: this.pendingFiles,
        logger: this.logger,
        allowHttpUploads: !this.options.appId,
        uploadTimeoutMs: this.options.uploadTimeoutMs ?? DEFAULTS.uploadTimeoutMs,
      },
    );
    await context.sendActivity(invokeResponse(outcome.status));
    if (outcome.replies.length > 0) await context.sendActivities(outcome.replies);
  }

  /** One handler per turn: log the code, never the activity; apologise without knowing why. */
  private async onTurnError(context: TurnContext, error: Error): Promise<void> {
    const { id, type, locale } = context.activity;
    this.logger.error({ err: error, activityId: id, activityType: type }, 'teams turn failed');
    try {
      await context.sendActivity(
        type === 'invoke' ? invokeResponse(500) : { type: 'message', text: notice('turnFailed', locale) },
      );
    } catch (sendError) {
      this.logger.warn({ err: sendError, activityId: id }, 'teams apology not delivered');
    }
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}

function invokeResponse(status: number): OutboundActivity {
  return { type: 'invokeResponse', value: { status } };
}
