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
import { keptInHistory, scriptedText } from './conversation';
import { type Crowd, PerPersonQueue } from './crowd';

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
    // As our engine: a recall reply and a "call me" line are not kept (conversation.ts keptInHistory).
    let kept = true;
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
      kept = false;
    } else if (callMe) {
      person.preferredName = callMe[1]!;
      reply = `Hello, ${callMe[1]}! I will call you that from now on.`;
      kept = false;
    } else {
      reply = 'I am not sure what you mean. Send /help to see what I can do.';
    }
    if (kept) {
      person.history.push({ speaker: 'person', text, at, ...(tag && { tag }) });
      person.history.push({ speaker: 'bot', text: reply, at });
    }
    await context.sendActivity(reply);
  }
}

/** One bot process: one storage and one bot, serving every simulated person. */
export class BotbuilderBaseline {
  private readonly storage = new MemoryStorage();
  private readonly userState = new UserState(this.storage);
  private readonly bot = new MemoryBot(new ConversationState(this.storage), this.userState);

  /**
   * Closed loop: onboarding (a first "hi", timed separately, like our consent turn), then `turns`
   * turns per person. `round` keeps each run's people apart, as the engine variants do.
   */
  async runRound(
    round: string,
    people: number,
    turns: number,
  ): Promise<{ onboarding: LoadRun; conversation: LoadRun }> {
    const crowd = this.crowd(round);
    const onboarding = await runConcurrent(people, 1, (person) => crowd.join(person));
    const conversation = await runConcurrent(people, turns, (person) => crowd.next(person));
    await crowd.check();
    return { onboarding, conversation };
  }

  /** `round`'s people talking to this bot, for either load model (see Crowd). */
  crowd(round: string): Crowd {
    return new BotbuilderCrowd(this.storage, (context) => this.bot.run(context), round);
  }
}

/** The SDK's test channel: one TestAdapter per conversation, replies collected in its queue. */
class BotbuilderCrowd implements Crowd {
  private readonly people = new Map<number, { adapter: TestAdapter; turns: number }>();
  // UserState saves a person's whole state at the end of a turn: two turns of one person at once
  // would lose one's lines, and their replies would share the adapter's queue.
  private readonly queue = new PerPersonQueue();

  constructor(
    private readonly storage: MemoryStorage,
    private readonly logic: (context: TurnContext) => Promise<void>,
    private readonly round: string,
  ) {}

  get size(): number {
    return this.people.size;
  }

  async join(person: number): Promise<void> {
    if (this.people.has(person)) throw new Error(`person ${person} has joined already`);
    const adapter = new TestAdapter(
      TestAdapter.createConversation(`conv-${this.round}-${person}`, this.user(person)),
    );
    this.people.set(person, { adapter, turns: 0 });
    await this.queue.run(person, () => this.send(adapter, 'hi'));
  }

  async next(person: number): Promise<void> {
    const state = this.people.get(person);
    if (!state) throw new Error(`person ${person} has not joined`);
    const turn = state.turns++;
    await this.queue.run(person, () => this.send(state.adapter, scriptedText(person, turn)));
  }

  /** Not timed: every person's state holds every line, so the baseline really kept its history. */
  async check(): Promise<void> {
    const people = [...this.people];
    // UserState's key: channel, lower-cased user id, and its (empty) namespace.
    const keys = people.map(([person]) => `test/users/${this.user(person).toLowerCase()}/`);
    const stored = await this.storage.read(keys);
    people.forEach(([, { turns }], index) => {
      const key = keys[index]!;
      const lines = (stored[key] as { person?: PersonState } | undefined)?.person?.history.length ?? 0;
      // "hi" and every kept turn: the message and the reply.
      const kept = Array.from({ length: turns }, (_, turn) => turn).filter(keptInHistory).length;
      if (lines !== 2 * (kept + 1))
        throw new Error(`baseline state ${key} holds ${lines} lines, expected ${2 * (kept + 1)}`);
    });
  }

  private user(person: number): string {
    return `user-${this.round}-${person}`;
  }

  private async send(adapter: TestAdapter, text: string): Promise<void> {
    await adapter.processActivity(text, this.logic);
    let replies = 0;
    while (adapter.getNextReply()) replies++;
    if (replies === 0) throw new Error(`the baseline bot did not answer "${text}"`);
  }
}
