/**
 * Counts the calls that reach the key provider (KMS in production): the benchmark reports KMS
 * calls per turn, and the product promises none on a warm turn. A decorator, so the product's
 * provider runs unchanged underneath.
 */
import type {
  GeneratedDataKey,
  KeyContext,
  KeyProvider,
  RewrappedDataKey,
} from '../../src/crypto/key-provider';

export interface KeyProviderCalls {
  readonly generateDataKey: number;
  readonly unwrap: number;
  readonly rewrap: number;
  readonly total: number;
}

export class CountingKeyProvider implements KeyProvider {
  private counts = { generateDataKey: 0, unwrap: 0, rewrap: 0 };

  constructor(private readonly inner: KeyProvider) {}

  get name(): KeyProvider['name'] {
    return this.inner.name;
  }

  get currentKeyId(): string {
    return this.inner.currentKeyId;
  }

  calls(): KeyProviderCalls {
    const { generateDataKey, unwrap, rewrap } = this.counts;
    return { generateDataKey, unwrap, rewrap, total: generateDataKey + unwrap + rewrap };
  }

  generateDataKey(ctx: KeyContext): Promise<GeneratedDataKey> {
    this.counts.generateDataKey++;
    return this.inner.generateDataKey(ctx);
  }

  unwrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<Buffer> {
    this.counts.unwrap++;
    return this.inner.unwrap(wrapped, ctx, providerKeyId);
  }

  rewrap(wrapped: Buffer, ctx: KeyContext, providerKeyId?: string): Promise<RewrappedDataKey> {
    this.counts.rewrap++;
    return this.inner.rewrap(wrapped, ctx, providerKeyId);
  }

  // Local bookkeeping, not a call to the provider's service.
  isCurrentKey(providerKeyId: string): boolean {
    return this.inner.isCurrentKey(providerKeyId);
  }

  close(): void {
    this.inner.close?.();
  }
}

/** Calls made between two snapshots. */
export function callsBetween(before: KeyProviderCalls, after: KeyProviderCalls): KeyProviderCalls {
  return {
    generateDataKey: after.generateDataKey - before.generateDataKey,
    unwrap: after.unwrap - before.unwrap,
    rewrap: after.rewrap - before.rewrap,
    total: after.total - before.total,
  };
}
