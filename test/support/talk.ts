import type { App } from '../../src/app';
import type { Action, IncomingMessage, TextReply } from '../../src/core/messages';
import { localeFromHint } from '../../src/i18n/locales';
import { textsOf } from './test-app';

type Pattern = string | RegExp;

/**
 * A scripted conversation in the spirit of botbuilder's TestFlow, for dialog tests:
 *
 *   await talk(app, 'ana')
 *     .send('hello').expectButtons(/accept all/i)
 *     .press(/accept all/i).press(/16 or older/i).expectText(/thank/i)
 *     .send('/mydata').expectText(/history/i);
 *
 * Each step waits for the one before; `await` runs the script. `press` finds a button among the
 * replies of the last turn by its label and presses its id as the bot issued it (consent buttons
 * included, signed for this person), as a person tapping it would. Expectations look at the last
 * turn's replies only, and fail with the texts and labels that were there.
 */
export function talk(app: App, user = 'ana', defaults: Partial<IncomingMessage> = {}): Talk {
  return new Talk(app, user, defaults);
}

export class Talk implements PromiseLike<TextReply[]> {
  private script: Promise<TextReply[]> = Promise.resolve([]);

  constructor(
    private readonly app: App,
    private readonly user: string,
    private readonly defaults: Partial<IncomingMessage>,
  ) {}

  /** The person types `text`. */
  send(text: string): this {
    return this.step(() => this.deliver({ text }));
  }

  /**
   * A new person's onboarding as an adult who accepts every purpose: they say hello, press
   * "Accept all" and then "16 or older" (CONSENT_MIN_AGE), by the labels of their language.
   */
  acceptEverything(): this {
    const { services } = this.app;
    const locale = localeFromHint(this.defaults.localeHint) ?? services.config.defaultLocale;
    const t = services.i18n.translator(locale);
    return this.send('hello')
      .press(t('consent.acceptAll'))
      .press(t('consent.ageAdult', { age: services.config.privacy.consentMinAge }));
  }

  /** The person presses the button of the last turn whose label matches. */
  press(label: Pattern): this {
    return this.step((last) => this.deliver({ action: buttonOf(last, label).id }));
  }

  /** Some reply of the last turn matches each pattern (a string is a substring). */
  expectText(...patterns: Pattern[]): this {
    return this.check((last) => {
      const texts = last.map((reply) => reply.text);
      for (const pattern of patterns) {
        if (!texts.some((text) => matches(text, pattern))) {
          throw new Error(`no reply matches ${String(pattern)}; the replies were:\n${texts.join('\n---\n')}`);
        }
      }
    });
  }

  /** No reply of the last turn matches the pattern. */
  expectNoText(pattern: Pattern): this {
    return this.check((last) => {
      const hit = last.find((reply) => matches(reply.text, pattern));
      if (hit) throw new Error(`a reply matches ${String(pattern)}:\n${hit.text}`);
    });
  }

  /** Each pattern matches the label of some button of the last turn. */
  expectButtons(...labels: Pattern[]): this {
    return this.check((last) => {
      for (const label of labels) buttonOf(last, label);
    });
  }

  /** Anything else about the last turn's replies, with jest's expect inside. */
  expectReplies(assertion: (replies: TextReply[]) => void): this {
    return this.check(assertion);
  }

  then<T1 = TextReply[], T2 = never>(
    onFulfilled?: ((replies: TextReply[]) => T1 | PromiseLike<T1>) | null,
    onRejected?: ((reason: unknown) => T2 | PromiseLike<T2>) | null,
  ): Promise<T1 | T2> {
    return this.script.then(onFulfilled, onRejected);
  }

  private step(run: (last: TextReply[]) => Promise<TextReply[]>): this {
    this.script = this.script.then(run);
    return this;
  }

  private check(assertion: (last: TextReply[]) => void): this {
    return this.step((last) => {
      assertion(last);
      return Promise.resolve(last);
    });
  }

  private async deliver(input: { text: string } | { action: string }): Promise<TextReply[]> {
    const message: IncomingMessage = {
      channel: 'console',
      conversationKey: this.user,
      userKey: this.user,
      isPrivateChat: true,
      receivedAt: new Date(),
      ...this.defaults,
      ...input,
    };
    return textsOf(await this.app.engine.handle(message));
  }
}

function buttonOf(replies: readonly TextReply[], label: Pattern): Action {
  const buttons = replies.flatMap((reply) => reply.actions ?? []);
  const button = buttons.find((action) => matches(action.label, label));
  if (!button) {
    const labels = buttons.map((action) => action.label).join(', ') || 'none';
    throw new Error(`no button labelled ${String(label)}; the buttons were: ${labels}`);
  }
  return button;
}

function matches(text: string, pattern: Pattern): boolean {
  return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
}
