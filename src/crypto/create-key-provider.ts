import type { AppConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { ConfigError } from '../core/errors';
import { AwsKmsKeyProvider, type AwsKmsKeyProviderOptions } from './aws-kms-key-provider';
import type { KeyProvider } from './key-provider';
import { LocalKeyProvider, assertLocalKeysAllowed } from './local-key-provider';
import { loadLocalMasterKey } from './local-master-key';

/** The slice of the configuration the key layer reads. */
export type KeyConfig = Pick<AppConfig, 'env' | 'dataDir' | 'keys'>;

export interface CreateKeyProviderOptions {
  /** Retired local master keys, so `keys rotate` can re-wrap what they wrapped. */
  readonly previousLocalMasterKeys?: readonly Buffer[];
  /** Region and credentials otherwise come from the SDK's default chain. */
  readonly awsRegion?: string;
  readonly awsCredentials?: AwsKmsKeyProviderOptions['credentials'];
}

/** KEY_PROVIDER=aws → AWS KMS; KEY_PROVIDER=local → master key from LOCAL_MASTER_KEY or a 0600 file. */
export async function createKeyProvider(
  config: KeyConfig,
  logger: Logger,
  options: CreateKeyProviderOptions = {},
): Promise<KeyProvider> {
  const { keys } = config;
  if (keys.provider === 'aws') {
    // loadConfig already insists on it; checked again because this function takes any KeyConfig.
    if (!keys.kmsKeyId) throw new ConfigError('KMS_KEY_ID: required when KEY_PROVIDER=aws');
    logger.info({ provider: 'aws', keyId: keys.kmsKeyId }, 'key provider ready');
    return new AwsKmsKeyProvider({
      keyId: keys.kmsKeyId,
      timeoutMs: keys.kmsTimeoutMs,
      maxAttempts: keys.kmsMaxAttempts,
      logger,
      ...(keys.kmsEndpoint !== undefined && { endpoint: keys.kmsEndpoint }),
      ...(options.awsRegion !== undefined && { region: options.awsRegion }),
      ...(options.awsCredentials !== undefined && { credentials: options.awsCredentials }),
    });
  }

  // Refuse before touching the disk: production must not even create a local key file.
  assertLocalKeysAllowed(config.env, keys.allowLocalInProduction);
  const master = await loadLocalMasterKey({ base64FromEnv: keys.localMasterKey, dataDir: config.dataDir });
  try {
    const provider = new LocalKeyProvider({
      masterKey: master.key,
      env: config.env,
      allowInProduction: keys.allowLocalInProduction,
      ...(options.previousLocalMasterKeys !== undefined && {
        previousMasterKeys: options.previousLocalMasterKeys,
      }),
    });
    if (config.env === 'production') {
      logger.warn(
        { provider: 'local' },
        'local master key in production (ALLOW_LOCAL_KEYS_IN_PRODUCTION=true)',
      );
    }
    logger.info(
      { provider: 'local', keyId: provider.currentKeyId, source: master.source },
      'key provider ready',
    );
    return provider;
  } finally {
    // The provider keeps its own copy.
    master.key.fill(0);
  }
}
