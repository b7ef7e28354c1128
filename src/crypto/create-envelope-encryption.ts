import type { Logger } from '../logging/logger';
import type { KeyConfig } from './create-key-provider';
import { DataKeyService } from './data-key-service';
import type { DataKeyStore } from './data-key-store-port';
import { EnvelopeCipher } from './envelope-cipher';
import { KeyCache } from './key-cache';
import type { KeyProvider } from './key-provider';

export interface EnvelopeEncryption {
  readonly dataKeys: DataKeyService;
  readonly cipher: EnvelopeCipher;
  readonly cache: KeyCache;
  /** Zero cached keys and close KMS connections. */
  close(): void;
}

/** Longest gap between sweeps of expired keys, whatever the configured max age. */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** Wire the cache, the data key service and the field cipher from configuration (composition root). */
export function createEnvelopeEncryption(deps: {
  readonly config: KeyConfig;
  readonly provider: KeyProvider;
  readonly store: DataKeyStore;
  readonly logger: Logger;
}): EnvelopeEncryption {
  const { keys } = deps.config;
  const cache = new KeyCache({
    maxEntries: keys.cacheMaxEntries,
    maxAgeMs: keys.cacheMaxAgeMs,
    maxUses: keys.cacheMaxUses,
    sweepIntervalMs: Math.min(keys.cacheMaxAgeMs, MAX_SWEEP_INTERVAL_MS),
  });
  const dataKeys = new DataKeyService({
    store: deps.store,
    provider: deps.provider,
    cache,
    logger: deps.logger,
  });
  return { dataKeys, cipher: new EnvelopeCipher(dataKeys), cache, close: () => dataKeys.close() };
}
