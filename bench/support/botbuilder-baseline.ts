/**
 * The peer baseline: the Bot Framework SDK's own in-process test channel (TestAdapter) and
 * MemoryStorage, with the stateful pattern most Teams bots start from: an ActivityHandler that
 * keeps per-user state (a history array, a preferred name) in UserState and a turn counter in
 * ConversationState, saved at the end of every turn. It understands the same phrases as our
 * memory skill, so both bots do the same work per turn minus consent, encryption and a database.
 *
 * bench/ may import botbuilder: the no-channel-SDK rules cover src/ and dialogs/ only.
 */
import {
  ActivityHandler,
  ConversationState,
  MemoryStorage,
  type StatePropertyAccessor,
  TestAdapter,
  type TurnContext,
  UserState,
} from 'botbuilder';
import { type LoadRun, runConcurrent } from './load';
import { scriptedText } from './conversation';

interface HistoryLine {
  readonly speaker: 'person' | 'bot';
  readonly text: string;
  readonly at: string;
  readonly tag?: string;
}

interface PersonState {
  history: HistoryLine[];
  preferredName?: string;
}

interface ConversationData {
  turns: number;
}

const NOTES_SHOWN = 5;

class MemoryBot extends ActivityHandler {
  private readonly person: StatePropertyAccessor<PersonState>;
  private readonly conversation: StatePropertyAccessor<ConversationData>;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
  ) {
    super();
    this.person = userState.createProperty<PersonState>('person');
    this.conversation = conversationState.createProperty<ConversationData>('conversation');
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
  }

  /** The SDK's documented pattern: run the handlers, then persist whatever state they changed. */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  private async answer(context: TurnContext): Promise<void> {
    const person = await this.person.get(context, { history: [] });
    const conversation = await this.conversation.get(context, { turns: 0 });
    conversation.turns++;
    const text = (context.activity.text ?? '').trim();
    const at = new Date().toISOString();
    let reply: string;
    let tag: string | undefined;
    const remember = /^remember that (.+)$/i.exec(text);
    const callMe = /^call me (.+)$/i.exec(text);
    if (remember) {
      tag = 'note';
      reply = 'Noted. I will remember that until your history expires.';
    } else if (/^what did i tell you\??$/i.test(text)) {
      const notes = person.history.filter((line) => line.tag === 'note').slice(-NOTES_SHOWN);
      const lines = notes.map((line) => `• ${/^remember that (.+)$/i.exec(line.text)?.[1] ?? line.text}`);
      const name = person.preferredName ? `I call you ${person.preferredName}.\n\n` : '';
      reply = `${name}You told me:\n${lines.join('\n')}`;
    } else if (callMe) {
      person.preferredName = callMe[1]!;
      reply = `Hello, ${callMe[1]}! I will call you that from now on.`;
    } else {
      reply = 'I am not sure what you mean. Send /help to see what I can do.';
    }
    person.history.push({ speaker: 'person', text, at, ...(tag && { tag }) });
    person.history.push({ speaker: 'bot', text: reply, at });
    await context.sendActivity(reply);
  }
}

/** One bot process: one storage and one bot, serving every simulated person. */
export class BotbuilderBaseline {
  private readonly storage = new MemoryStorage();
  private readonly userState = new UserState(this.storage);
  private readonly bot = new MemoryBot(new ConversationState(this.storage), this.userState);

  /**
   * Onboarding (a first "hi", timed separately, like our consent turn), then `turns` turns per
   * person. `round` keeps each run's people apart, as the engine variants do.
   */
  async runRound(
    round: string,
    people: number,
    turns: number,
  ): Promise<{ onboarding: LoadRun; conversation: LoadRun }> {
    // The SDK's test channel: one adapter per conversation, replies collected in its queue.
    const adapters = Array.from(
      { length: people },
      (_, person) =>
        new TestAdapter(TestAdapter.createConversation(`conv-${round}-${person}`, `user-${round}-${person}`)),
    );
    const logic = (context: TurnContext) => this.bot.run(context);
    const send = async (person: number, text: string): Promise<void> => {
      const adapter = adapters[person]!;
      await adapter.processActivity(text, logic);
      let replies = 0;
      while (adapter.getNextReply()) replies++;
      if (replies === 0) throw new Error(`the baseline bot did not answer "${text}"`);
    };
    const onboarding = await runConcurrent(people, 1, (person) => send(person, 'hi'));
    const conversation = await runConcurrent(people, turns, (person, turn) =>
      send(person, scriptedText(person, turn)),
    );
    await this.check(round, people, turns);
    return { onboarding, conversation };
  }

  /** Not timed: every person's state holds every line, so the baseline really kept its history. */
  private async check(round: string, people: number, turns: number): Promise<void> {
    // UserState's key: channel, lower-cased user id, and its (empty) namespace.
    const keys = Array.from(
      { length: people },
      (_, person) => `test/users/${`user-${round}-${person}`.toLowerCase()}/`,
    );
    const stored = await this.storage.read(keys);
    for (const key of keys) {
      const lines = (stored[key] as { person?: PersonState } | undefined)?.person?.history.length ?? 0;
      if (lines !== 2 * (turns + 1))
        throw new Error(`baseline state ${key} holds ${lines} lines, expected ${2 * (turns + 1)}`);
    }
  }
}
