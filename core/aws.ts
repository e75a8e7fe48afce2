/**
 * The narrow ports kms-secrets uses to talk to KMS and Secrets Manager, and their AWS SDK v3 implementations.
 * This is the only file that imports `@aws-sdk/*`: everything else receives plain data through these interfaces,
 * so the handler and the CLI are tested with in-memory fakes and the SDK's shapes are asserted in one place.
 */
import {
  DecryptCommand, EncryptCommand, KMSClient,
} from '@aws-sdk/client-kms';
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, ListSecretsCommand, PutSecretValueCommand,
  RestoreSecretCommand, SecretsManagerClient, TagResourceCommand, UntagResourceCommand, UpdateSecretCommand,
  UpdateSecretVersionStageCommand, type DescribeSecretResponse, type SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import { LIST_PAGE_SIZE, OWNER_TAG } from './constants.ts';
import type { SecretTag } from './spec.ts';

/** What the core needs from KMS. Plaintext is bytes so the caller can zero it after use. */
export interface KmsPort {
  decrypt(input: { ciphertext: Uint8Array; encryptionContext?: Readonly<Record<string, string>>; dryRun?: boolean }): Promise<{ plaintext: Uint8Array; keyId?: string }>;
  encrypt(input: { keyId: string; plaintext: Uint8Array; encryptionContext?: Readonly<Record<string, string>> }): Promise<{ ciphertext: Uint8Array; keyId?: string }>;
}

/** What DescribeSecret (or a ListSecrets entry) says about a secret; never its value. */
export interface SecretState {
  readonly arn: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Set while the secret is scheduled for deletion. */
  readonly deletedDate?: Date;
  readonly versionIdsToStages: Readonly<Record<string, readonly string[]>>;
  readonly description?: string;
  readonly kmsKeyId?: string;
}

/** What the core needs from Secrets Manager. Failures are thrown as the SDK's errors (matched by `name`). */
export interface SecretsPort {
  /** The secret's state, or undefined when no secret has that name or ARN (pending deletion counts as existing). */
  describe(secretId: string): Promise<SecretState | undefined>;
  /** Every secret carrying `kms-secrets:owner` = `owner`, pending deletion included (ListSecrets, 100 a page). */
  listByOwner(owner: string): Promise<SecretState[]>;
  create(input: { name: string; clientRequestToken: string; secretString: string; description?: string; kmsKeyId?: string; tags: readonly SecretTag[] }): Promise<{ arn: string; name: string; versionId: string }>;
  putValue(input: { secretId: string; clientRequestToken: string; secretString: string }): Promise<{ arn: string; versionId: string; versionStages: string[] }>;
  updateVersionStage(input: { secretId: string; stage: string; moveToVersionId: string; removeFromVersionId?: string }): Promise<void>;
  /** UpdateSecret with metadata only: never a value, so never a new version. */
  updateMetadata(input: { secretId: string; description?: string; kmsKeyId?: string }): Promise<void>;
  tag(secretId: string, tags: readonly SecretTag[]): Promise<void>;
  untag(secretId: string, tagKeys: readonly string[]): Promise<void>;
  /** DeleteSecret; `recoveryWindowInDays` 0 deletes at once (ForceDeleteWithoutRecovery). */
  delete(input: { secretId: string; recoveryWindowInDays: number }): Promise<void>;
  restore(secretId: string): Promise<void>;
}

/** AWS API calls made through one set of ports, by `Service.Operation`, for logs and benchmarks. */
export type CallCounts = Record<string, number>;

/** The two ports plus their call counters: what `createAwsPorts` hands the handler and the CLI. */
export interface AwsPorts {
  readonly kms: KmsPort;
  readonly secrets: SecretsPort;
  /** Live counters of the calls these ports made (each port call is one API call; SDK retries are not counted). */
  readonly calls: CallCounts;
}

/** Client settings; anything left out comes from the SDK's default chain (environment, profile). */
export interface AwsConfig {
  readonly region?: string;
  readonly profile?: string;
  readonly maxAttempts?: number;
}

interface Clients { kms: KMSClient; secrets: SecretsManagerClient }
const clientCache = new Map<string, Clients>();

/**
 * SDK clients for one configuration, created on first use and then reused for the life of the container.
 * Adaptive retry mode backs off client-side on throttling; endpoint, region and credentials come from the SDK's
 * default chain (AWS_ENDPOINT_URL, AWS_REGION, AWS_PROFILE, ...) unless given.
 */
function clientsFor(config: AwsConfig): Clients {
  const key = JSON.stringify([config.region, config.profile, config.maxAttempts]);
  let clients = clientCache.get(key);
  if (!clients) {
    // SDK v3 prints a multi-line NodeVersionSupportWarning on Node 20 when a client is built; it is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const shared = {
      retryMode: 'adaptive',
      maxAttempts: config.maxAttempts ?? 5,
      ...(config.region ? { region: config.region } : {}),
      ...(config.profile ? { profile: config.profile } : {}),
    };
    clients = { kms: new KMSClient(shared), secrets: new SecretsManagerClient(shared) };
    clientCache.set(key, clients);
  }
  return clients;
}

/** Ports backed by the AWS SDK, with fresh call counters (the underlying clients are shared and cached). */
export function createAwsPorts(config: AwsConfig = {}): AwsPorts {
  const calls: CallCounts = {};
  const count = (operation: string) => { calls[operation] = (calls[operation] ?? 0) + 1; };
  const lazy = () => clientsFor(config);
  return { kms: kmsPort(lazy, count), secrets: secretsPort(lazy, count), calls };
}

function kmsPort(clients: () => Clients, count: (op: string) => void): KmsPort {
  return {
    async decrypt({ ciphertext, encryptionContext, dryRun }) {
      count('KMS.Decrypt');
      const out = await clients().kms.send(new DecryptCommand({
        CiphertextBlob: ciphertext,
        ...(encryptionContext ? { EncryptionContext: { ...encryptionContext } } : {}),
        ...(dryRun ? { DryRun: true } : {}),
      }));
      return { plaintext: out.Plaintext ?? new Uint8Array(), ...(out.KeyId ? { keyId: out.KeyId } : {}) };
    },
    async encrypt({ keyId, plaintext, encryptionContext }) {
      count('KMS.Encrypt');
      const out = await clients().kms.send(new EncryptCommand({
        KeyId: keyId,
        Plaintext: plaintext,
        ...(encryptionContext ? { EncryptionContext: { ...encryptionContext } } : {}),
      }));
      return { ciphertext: out.CiphertextBlob ?? new Uint8Array(), ...(out.KeyId ? { keyId: out.KeyId } : {}) };
    },
  };
}

/** Plain-data projection of DescribeSecret / a ListSecrets entry. */
export function toSecretState(out: DescribeSecretResponse | SecretListEntry): SecretState {
  const stages = 'VersionIdsToStages' in out ? out.VersionIdsToStages : (out as SecretListEntry).SecretVersionsToStages;
  return {
    arn: out.ARN ?? '',
    name: out.Name ?? '',
    tags: Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    ...(out.DeletedDate ? { deletedDate: out.DeletedDate } : {}),
    versionIdsToStages: stages ?? {},
    ...(out.Description !== undefined ? { description: out.Description } : {}),
    ...(out.KmsKeyId ? { kmsKeyId: out.KmsKeyId } : {}),
  };
}

function secretsPort(clients: () => Clients, count: (op: string) => void): SecretsPort {
  const sm = () => clients().secrets;
  return {
    async describe(secretId) {
      count('SecretsManager.DescribeSecret');
      try {
        return toSecretState(await sm().send(new DescribeSecretCommand({ SecretId: secretId })));
      } catch (error) {
        if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    async listByOwner(owner) {
      const states: SecretState[] = [];
      let nextToken: string | undefined;
      do {
        count('SecretsManager.ListSecrets');
        const page = await sm().send(new ListSecretsCommand({
          MaxResults: LIST_PAGE_SIZE,
          IncludePlannedDeletion: true,
          Filters: [{ Key: 'tag-key', Values: [OWNER_TAG] }, { Key: 'tag-value', Values: [owner] }],
          ...(nextToken ? { NextToken: nextToken } : {}),
        }));
        // The two filters match independently and by prefix: keep only an exact owner tag.
        for (const entry of page.SecretList ?? []) {
          const state = toSecretState(entry);
          if (state.tags[OWNER_TAG] === owner) states.push(state);
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return states;
    },
    async create({ name, clientRequestToken, secretString, description, kmsKeyId, tags }) {
      count('SecretsManager.CreateSecret');
      const out = await sm().send(new CreateSecretCommand({
        Name: name,
        ClientRequestToken: clientRequestToken,
        SecretString: secretString,
        ...(description !== undefined ? { Description: description } : {}),
        ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
        Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })),
      }));
      return { arn: out.ARN ?? '', name: out.Name ?? name, versionId: out.VersionId ?? clientRequestToken };
    },
    async putValue({ secretId, clientRequestToken, secretString }) {
      count('SecretsManager.PutSecretValue');
      const out = await sm().send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: clientRequestToken, SecretString: secretString }));
      return { arn: out.ARN ?? '', versionId: out.VersionId ?? clientRequestToken, versionStages: out.VersionStages ?? [] };
    },
    async updateVersionStage({ secretId, stage, moveToVersionId, removeFromVersionId }) {
      count('SecretsManager.UpdateSecretVersionStage');
      await sm().send(new UpdateSecretVersionStageCommand({
        SecretId: secretId, VersionStage: stage, MoveToVersionId: moveToVersionId,
        ...(removeFromVersionId ? { RemoveFromVersionId: removeFromVersionId } : {}),
      }));
    },
    async updateMetadata({ secretId, description, kmsKeyId }) {
      count('SecretsManager.UpdateSecret');
      await sm().send(new UpdateSecretCommand({
        SecretId: secretId,
        ...(description !== undefined ? { Description: description } : {}),
        ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
      }));
    },
    async tag(secretId, tags) {
      count('SecretsManager.TagResource');
      await sm().send(new TagResourceCommand({ SecretId: secretId, Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) }));
    },
    async untag(secretId, tagKeys) {
      count('SecretsManager.UntagResource');
      await sm().send(new UntagResourceCommand({ SecretId: secretId, TagKeys: [...tagKeys] }));
    },
    async delete({ secretId, recoveryWindowInDays }) {
      count('SecretsManager.DeleteSecret');
      await sm().send(new DeleteSecretCommand({
        SecretId: secretId,
        ...(recoveryWindowInDays === 0 ? { ForceDeleteWithoutRecovery: true } : { RecoveryWindowInDays: recoveryWindowInDays }),
      }));
    },
    async restore(secretId) {
      count('SecretsManager.RestoreSecret');
      await sm().send(new RestoreSecretCommand({ SecretId: secretId }));
    },
  };
}
