import { AppError } from '../../src/core/errors';
import { toBuffer } from '../../src/crypto/bytes';
import type { EncryptedField, StoredEncryptedField } from '../../src/crypto/field-cipher';
import type { FieldSealer } from '../../src/crypto/field-sealer';
import type { DataKeyStore } from '../../src/crypto/data-key-store-port';
import type { PurgeReport, StorageInventory } from '../../src/storage/backend';
import type { Stores } from '../../src/storage/ports';

/**
 * What a backend's test file hands the storage contract suite (storage-contract.ts): one fresh,
 * empty backend per call. The suite builds the real envelope encryption on `dataKeys` and passes
 * its cipher (wrapped in a SpySealer) and a clock it controls to `createStores`.
 */
export interface ContractHarness {
  readonly dataKeys: DataKeyStore;
  createStores(sealer: FieldSealer, clock: () => Date): Stores;
  /** One retention pass at `now` (StorageBackend.sweepExpired); `batchSize` as there. */
  sweep(now: Date, batchSize?: number): Promise<Readonly<Record<string, number>>>;
  /** Everything stored, to search for plaintext and for a person's id. */
  dump(): Promise<StoredDump>;
  /**
   * Rewrite the purpose and locale of the stored consent-ledger entries whose notice hash is
   * `noticeHash`, as a purpose renamed in a later release would leave old evidence (L5). The
   * ports cannot write such entries, so this goes to the database directly.
   */
  retireLedgerValues(noticeHash: string, purpose: string, locale: string): Promise<void>;
  /** StorageBackend.inventory: counts per table (purge-all's dry run). */
  inventory(): Promise<StorageInventory>;
  /** StorageBackend.purgePersonalData: purge-all. */
  purgePersonalData(): Promise<PurgeReport>;
  /** Closes the backend (G1 calls it mid-test); a second call is harmless. */
  close(): Promise<void>;
}

export type HarnessFactory = () => Promise<ContractHarness>;

export interface StoredDump {
  /**
   * Every row of every table (collection), both files on SQLite: `table` is its name (the two
   * evidence ledgers are `consent_ledger` and `rights_requests` on every backend), `text` every
   * value of the row; blobs as base64, utf8 and latin1.
   */
  readonly rows: readonly { readonly table: string; readonly text: string }[];
  /** The raw bytes of the database files and their WAL, as latin1 and utf8 ('' without files). */
  readonly files: string;
}

/** Every value of a stored row as searchable text: strings as they are, bytes in three readings. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return bytesText(Buffer.from(value));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

export function bytesText(bytes: Buffer): string {
  return [bytes.toString('base64'), bytes.toString('utf8'), bytes.toString('latin1')].join('\n');
}

export interface SealCall {
  readonly subjectId: string;
  readonly collection: string;
  readonly documentId: string;
  readonly plaintext: string;
  /** A copy of what the real cipher returned, once it did. */
  sealed?: EncryptedField;
}

export interface OpenCall {
  readonly subjectId: string;
  readonly collection: string;
  readonly documentId: string;
  /** A copy of the bytes the store handed back. */
  readonly field: EncryptedField;
}

/**
 * The real cipher, watched: records every call, fails a chosen seal (H8, P4), and holds seals
 * at a gate so a test can act while a write is in flight (X3).
 */
export class SpySealer implements FieldSealer {
  readonly seals: SealCall[] = [];
  readonly opens: OpenCall[] = [];
  private failAt: number | undefined;
  private gate: { reached: () => void; released: Promise<void> } | undefined;

  constructor(private readonly inner: FieldSealer) {}

  /** The `n`-th seal from now (1 = the next one) rejects with KMS_UNAVAILABLE. */
  failSeal(n: number): void {
    this.failAt = this.seals.length + n;
  }

  /** The next seal waits until `release()`; `reached` resolves once it is waiting. */
  holdNextSeal(): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.gate = { reached, released };
    return { reached: reachedPromise, release };
  }

  async seal(
    subjectId: string,
    collection: string,
    documentId: string,
    plaintext: string | Buffer,
  ): Promise<EncryptedField> {
    const call: SealCall = { subjectId, collection, documentId, plaintext: plaintext.toString() };
    this.seals.push(call);
    const gate = this.gate;
    if (gate) {
      this.gate = undefined;
      gate.reached();
      await gate.released;
    }
    if (this.failAt === this.seals.length) {
      this.failAt = undefined;
      throw new AppError('KMS_UNAVAILABLE', 'injected seal failure (contract suite)');
    }
    const sealed = await this.inner.seal(subjectId, collection, documentId, plaintext);
    call.sealed = copyField(sealed);
    return sealed;
  }

  openText(
    subjectId: string,
    collection: string,
    documentId: string,
    field: StoredEncryptedField,
  ): Promise<string> {
    this.opens.push({ subjectId, collection, documentId, field: copyField(field) });
    return this.inner.openText(subjectId, collection, documentId, field);
  }
}

function copyField(field: StoredEncryptedField): EncryptedField {
  return {
    v: field.v,
    kv: field.kv,
    iv: Buffer.from(toBuffer(field.iv)),
    tag: Buffer.from(toBuffer(field.tag)),
    ct: Buffer.from(toBuffer(field.ct)),
  };
}
