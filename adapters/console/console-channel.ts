import { promises as fs } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Channel, TurnHandler } from '../../src/core/channel';
import type { Action, IncomingMessage } from '../../src/core/messages';
import type { Logger } from '../../src/logging/logger';
import { formatReply, parseLine } from './json-protocol';
import { pressedAction, renderForTerminal } from './tty-renderer';

export interface ConsoleChannelOptions {
  /** `json`: one JSON line in and out per message, for scripts. `tty`: a person at a terminal. */
  readonly mode: 'json' | 'tty';
  readonly input: Readable;
  readonly output: Writable;
  readonly logger: Logger;
  /** The terminal's own language (LANG), used as the platform locale hint in tty mode. */
  readonly localeHint?: string | undefined;
  /** Where tty mode saves exported files. */
  readonly downloadDir: string;
}

const DEFAULT_USER = 'local-user';

/** `{"press"}` of a button that was not shown: the engine answers "that button no longer works". */
const NOT_SHOWN = '~not-shown';

/** Scripted users whose last buttons are remembered for `{"press"}`; the oldest is forgotten first. */
const MAX_SCRIPTED_USERS = 1000;

/**
 * The terminal channel. Lines are handled one at a time, in order, so a script's replies come
 * back in the order it sent them; when input ends, pending turns finish and `finished` resolves.
 */
export class ConsoleChannel implements Channel {
  readonly name = 'console';
  private reader: readline.Interface | undefined;
  private offered: readonly Action[] = [];
  /** json mode: the buttons of each user's latest reply that had any, for `{"press"}`. */
  private readonly offeredTo = new Map<string, readonly Action[]>();
  private resolveFinished: () => void = () => undefined;
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  constructor(private readonly options: ConsoleChannelOptions) {}

  start(handler: TurnHandler): Promise<void> {
    const { input, mode } = this.options;
    const reader = readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.reader = reader;
    if (mode === 'tty') this.write('Type a message (Ctrl-D to quit). Buttons appear as [1], [2]...\n> ');
    void this.consume(reader, handler);
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.reader?.close();
    return this.finished;
  }

  private async consume(reader: readline.Interface, handler: TurnHandler): Promise<void> {
    try {
      for await (const line of reader) {
        await this.handleLine(line, handler).catch((error: unknown) => {
          this.options.logger.error({ err: error }, 'console turn failed');
        });
      }
    } finally {
      this.resolveFinished();
    }
  }

  private async handleLine(line: string, handler: TurnHandler): Promise<void> {
    if (this.options.mode === 'tty') return this.handleTtyLine(line, handler);
    const parsed = parseLine(line);
    if (!parsed.ok) {
      // stdout carries replies only; a bad script line is reported where logs go.
      this.options.logger.warn({ code: 'CONSOLE_BAD_LINE', problem: parsed.error }, 'ignored input line');
      return;
    }
    const { user = DEFAULT_USER, text, press, locale } = parsed.line;
    const action =
      press === undefined
        ? parsed.line.action
        : (pressedAction(press, this.offeredTo.get(user) ?? [])?.id ?? NOT_SHOWN);
    const replies = await handler(this.incoming(user, { text, action, localeHint: locale }));
    for (const reply of replies) {
      const json = formatReply(user, reply);
      if (json) this.write(`${json}\n`);
      if (reply.kind === 'text' && reply.actions && reply.actions.length > 0)
        this.remember(user, reply.actions);
    }
  }

  private remember(user: string, actions: readonly Action[]): void {
    this.offeredTo.delete(user);
    this.offeredTo.set(user, actions);
    const oldest = this.offeredTo.keys().next();
    if (this.offeredTo.size > MAX_SCRIPTED_USERS && !oldest.done) this.offeredTo.delete(oldest.value);
  }

  private async handleTtyLine(line: string, handler: TurnHandler): Promise<void> {
    const pressed = pressedAction(line, this.offered);
    const message = this.incoming(DEFAULT_USER, {
      ...(pressed ? { action: pressed.id } : { text: line }),
      localeHint: this.options.localeHint,
    });
    const replies = await handler(message);
    this.offered = [];
    for (const reply of replies) {
      const rendered = renderForTerminal(reply);
      if (!rendered) continue;
      if (reply.kind === 'text' && reply.file) await this.saveFile(reply.file.name, reply.file.bytes);
      this.write(`\n${rendered.text}\n`);
      if (rendered.actions.length > 0) this.offered = rendered.actions;
    }
    this.write('\n> ');
  }

  private async saveFile(name: string, bytes: Buffer): Promise<void> {
    await fs.mkdir(this.options.downloadDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.options.downloadDir, path.basename(name));
    await fs.writeFile(file, bytes, { mode: 0o600 });
    this.write(`\n(saved to ${file})`);
  }

  private incoming(
    user: string,
    content: { text?: string | undefined; action?: string | undefined; localeHint?: string | undefined },
  ): IncomingMessage {
    return {
      channel: 'console',
      conversationKey: user,
      userKey: user,
      ...(content.text !== undefined ? { text: content.text } : {}),
      ...(content.action !== undefined ? { action: content.action } : {}),
      ...(content.localeHint !== undefined ? { localeHint: content.localeHint } : {}),
      isPrivateChat: true,
      receivedAt: new Date(),
    };
  }

  private write(text: string): void {
    this.options.output.write(text);
  }
}
