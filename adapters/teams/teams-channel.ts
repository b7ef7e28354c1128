import type { Activity, TurnContext } from 'botbuilder';
import express from 'express';
import type { Channel, TurnHandler } from '../../src/core/channel';
import type { IncomingMessage } from '../../src/core/messages';
import type { Logger } from '../../src/logging/logger';
import type { HttpServer } from '../http/http-server';
import { isActivityEnvelope, type InboundActivity, type OutboundActivity } from './activity-shape';
import { refusalFor, type AdmissionPolicy } from './admission';
import { authenticationFailureStatus, checkAuthentication } from './authentication';
import { badRequestResponse, messageResponse } from './card-action';
import { createCloudAdapter, type BotIdentity, type TeamsCloudAdapter } from './cloud-adapter';
import { answerFileConsent } from './file-consent';
import type { FileConsentAnswer } from './file-consent-answer';
import { routeActivity } from './map-activity';
import { notice } from './notices';
import { PendingFiles, type PendingFilesOptions } from './pending-files';
import { inPersonalChat } from './personal-chat';
import type { ReplyScope } from './render-reply';
import { deliverReplies } from './reply-delivery';
import { quietConsole } from './sdk-console';
import { withTypingIndicator } from './typing-indicator';

export const MESSAGES_PATH = '/api/messages';

export interface TeamsChannelOptions extends BotIdentity {
  readonly http: HttpServer;
  readonly logger: Logger;
  /** The emulator is accepted only in development; production also requires an app id. */
  readonly appEnv: 'development' | 'test' | 'production';
  /**
   * The address the HTTP server binds to. Without an app id botbuilder accepts unsigned
   * activities, so anyone who can reach the port could post as any Teams user (and ask for their
   * export): that is allowed on a loopback address only.
   */
  readonly httpHost: string;
  /** Entra tenant ids that may use the bot (compared ignoring case); unset admits every tenant. */
  readonly allowedTenants?: readonly string[] | undefined;
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
 * botbuilder's CloudAdapter. Everything botbuilder-specific stays in this file, cloud-adapter.ts
 * and personal-chat.ts; mapping and rendering work on plain activity JSON (activity-shape.ts).
 */
export class TeamsChannel implements Channel {
  readonly name = 'teams';
  private readonly adapter: TeamsCloudAdapter;
  private readonly admission: AdmissionPolicy;
  private readonly pendingFiles: PendingFiles;
  private readonly logger: Logger;
  private handler: TurnHandler | undefined;
  private mounted = false;
  private stopped = false;

  constructor(private readonly options: TeamsChannelOptions) {
    checkAuthentication(options.appId, options.appEnv, options.httpHost);
    this.logger = options.logger.child({ channel: 'teams' });
    this.adapter = createCloudAdapter(options);
    this.adapter.onTurnError = (context, error) => this.onTurnError(context, error);
    this.admission = {
      allowEmulator: options.appEnv === 'development',
      allowedTenants: options.allowedTenants
        ? new Set(options.allowedTenants.map((tenant) => tenant.toLowerCase()))
        : undefined,
    };
    this.pendingFiles = new PendingFiles(options.pendingFiles ?? DEFAULTS.pendingFiles);
  }

  start(handler: TurnHandler): Promise<void> {
    this.handler = handler;
    this.stopped = false;
    if (!this.mounted) {
      // Body parser errors (bad JSON, over 1 MB) go on to the shared server's bare-status handler.
      this.options.http.app.post(MESSAGES_PATH, express.json({ limit: '1mb' }), (req, res) =>
        this.receive(req, res),
      );
      this.mounted = true;
    }
    if (!this.options.appId) {
      this.logger.warn('teams authentication is off (no MICROSOFT_APP_ID): loopback only, for local testing');
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

  /**
   * Authenticate, admit, run the turn, answer: each failure is one bare status and one log line
   * with a code. No botbuilder error text reaches the response (it can quote DNS names or keys).
   */
  private async receive(req: express.Request, res: express.Response): Promise<void> {
    const handler = this.handler;
    if (this.stopped || !handler) return this.refuse(res, 503, 'TEAMS_STOPPED');
    if (!isActivityEnvelope(req.body)) return this.refuse(res, 400, 'TEAMS_BAD_ACTIVITY');
    const activity = req.body as unknown as Activity;
    const authHeader = req.headers.authorization ?? '';

    let auth;
    try {
      auth = await quietConsole(this.logger, () => this.adapter.authenticate(activity, authHeader));
    } catch (error) {
      const status = authenticationFailureStatus(error);
      return this.refuse(res, status, status === 401 ? 'TEAMS_UNAUTHENTICATED' : 'TEAMS_AUTH_FAILED', error);
    }
    const refusal = refusalFor(activity, this.admission);
    if (refusal) return this.refuse(res, 403, refusal);

    let response;
    try {
      response = await this.adapter.run(auth, activity, (context) => this.onTurn(context, handler));
    } catch (error) {
      return this.refuse(res, 500, 'TEAMS_REQUEST_FAILED', error);
    }
    res.status(response?.status ?? 200);
    if (response?.body === undefined) res.end();
    else res.json(response.body);
  }

  private refuse(res: express.Response, status: number, code: string, error?: unknown): void {
    this.logger.warn(
      { code, status, ...(error === undefined ? {} : { err: error }) },
      'teams request refused',
    );
    if (!res.headersSent) res.status(status).end();
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
    else if (route.kind === 'card-action') await this.answerCardAction(context, route.message, handler);
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
    const routes = {
      sendHere: async (activities: OutboundActivity[]) => {
        await context.sendActivities(activities);
      },
      toSpeaker: (deliver: Parameters<typeof inPersonalChat>[4]) =>
        inPersonalChat(this.adapter, context, this.options.appId ?? '', this.logger, deliver),
    };
    await deliverReplies(replies, scope, routes, this.pendingFiles);
  }

  /**
   * Universal Actions: the replies go into the conversation like those of an Action.Submit press;
   * the invoke response tells Teams the action was handled (HTTP 200), with a short acknowledgement.
   */
  private async answerCardAction(
    context: TurnContext,
    message: IncomingMessage | undefined,
    handler: TurnHandler,
  ): Promise<void> {
    if (!message) {
      await context.sendActivity(invokeResponse(400, badRequestResponse()));
      return;
    }
    await this.runTurn(context, message, handler);
    await context.sendActivity(
      invokeResponse(200, messageResponse(notice('actionReceived', context.activity.locale))),
    );
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
    const { id, type, name, locale } = context.activity;
    this.logger.error({ err: error, activityId: id, activityType: type }, 'teams turn failed');
    const apology = notice('turnFailed', locale);
    try {
      await context.sendActivity(
        type !== 'invoke'
          ? { type: 'message', text: apology }
          : // A card action can carry the apology itself; other invokes only have a status.
            name === 'adaptiveCard/action'
            ? invokeResponse(200, messageResponse(apology))
            : invokeResponse(500),
      );
    } catch (sendError) {
      this.logger.warn({ err: sendError, activityId: id }, 'teams apology not delivered');
    }
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}

function invokeResponse(status: number, body?: unknown): OutboundActivity {
  return { type: 'invokeResponse', value: body === undefined ? { status } : { status, body } };
}
