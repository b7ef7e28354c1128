import { randomUUID } from 'node:crypto';

export interface PendingFile {
  readonly conversationKey: string;
  readonly name: string;
  readonly mime: string;
  readonly bytes: Buffer;
}

export interface PendingFilesOptions {
  readonly maxEntries: number;
  readonly ttlMs: number;
}

/**
 * Export files waiting for the person to accept a FileConsentCard. Memory only, on purpose: an
 * export is the person's data in clear, and writing it to MongoDB or disk would leave a copy
 * outside the encrypted, expiring store that crypto-shredding relies on. Bounded and short-lived
 * so unanswered cards cannot pin memory. The price: a card answered after expiry, or by another
 * instance behind the load balancer, asks the person to request the export again.
 */
export class PendingFiles {
  private readonly entries = new Map<
    string,
    { readonly file: PendingFile; readonly timer: NodeJS.Timeout }
  >();

  constructor(private readonly options: PendingFilesOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** Keeps a private copy of the bytes and returns the unguessable id that goes into the card. */
  put(file: PendingFile): string {
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.options.maxEntries) break;
      this.discard(oldest);
    }
    const id = randomUUID();
    const timer = setTimeout(() => this.discard(id), this.options.ttlMs);
    // A pending export must never keep the process alive on shutdown.
    timer.unref();
    this.entries.set(id, { file: { ...file, bytes: Buffer.from(file.bytes) }, timer });
    return id;
  }

  /**
   * One-shot: removes and returns the file, but only to the conversation it was offered in, so a
   * consent answer replayed from elsewhere cannot fetch someone else's export. Call `wipe` after use.
   */
  take(id: string, conversationKey: string): PendingFile | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.file.conversationKey !== conversationKey) return undefined;
    clearTimeout(entry.timer);
    this.entries.delete(id);
    return entry.file;
  }

  /** Zero the bytes so the export does not linger in the heap until garbage collection. */
  static wipe(file: PendingFile): void {
    file.bytes.fill(0);
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.discard(id);
  }

  private discard(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.entries.delete(id);
    PendingFiles.wipe(entry.file);
  }
}
