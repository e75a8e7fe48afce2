/**
 * In-memory KMS and Secrets Manager behind the core's ports, following AWS semantics (not moto's where they differ:
 * CreateSecret on a pending-deletion name is InvalidRequestException; writes to it are refused). Tests assert the
 * end state and the recorded calls, not SDK shapes.
 */
import type { AwsPorts, CallCounts, KmsPort, SecretState, SecretsPort } from '../../core/aws.ts';
import type { SecretTag } from '../../core/spec.ts';

export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

const ACCOUNT = '123456789012';

/** Ciphertext is an opaque, reversible encoding whose bytes never contain the plaintext. */
export class FakeKms implements KmsPort {
  readonly calls: string[] = [];
  /** Error name to throw on the next decrypt (e.g. 'AccessDeniedException'). */
  failDecrypt: string | undefined;
  /** Every plaintext buffer returned by decrypt, to prove the core zeroes them. */
  readonly returnedPlaintexts: Uint8Array[] = [];

  async encrypt(input: { keyId: string; plaintext: Uint8Array; encryptionContext?: Readonly<Record<string, string>> }) {
    this.calls.push('Encrypt');
    const masked = Buffer.from(input.plaintext).map((b) => b ^ 0x5a).reverse();
    const envelope = JSON.stringify({ k: input.keyId, c: input.encryptionContext ?? {}, p: Buffer.from(masked).toString('base64') });
    return { ciphertext: new Uint8Array(Buffer.from(`FAKEKMS:${envelope}`)), keyId: input.keyId };
  }

  async decrypt(input: { ciphertext: Uint8Array; encryptionContext?: Readonly<Record<string, string>> }) {
    this.calls.push('Decrypt');
    if (this.failDecrypt) { const name = this.failDecrypt; this.failDecrypt = undefined; throw awsError(name); }
    const text = Buffer.from(input.ciphertext).toString('utf8');
    if (!text.startsWith('FAKEKMS:')) throw awsError('InvalidCiphertextException');
    const envelope = JSON.parse(text.slice('FAKEKMS:'.length)) as { k: string; c: Record<string, string>; p: string };
    if (JSON.stringify(sorted(envelope.c)) !== JSON.stringify(sorted(input.encryptionContext ?? {}))) throw awsError('InvalidCiphertextException');
    const plaintext = new Uint8Array(Buffer.from(envelope.p, 'base64').reverse().map((b) => b ^ 0x5a));
    this.returnedPlaintexts.push(plaintext);
    return { plaintext, keyId: envelope.k };
  }

  /** Base64 ciphertext of `plaintext`, as a template or secrets file would hold it. */
  async encryptToBase64(plaintext: string | Uint8Array, encryptionContext?: Record<string, string>, keyId = 'alias/test'): Promise<string> {
    const out = await this.encrypt({ keyId, plaintext: typeof plaintext === 'string' ? Buffer.from(plaintext) : plaintext, ...(encryptionContext ? { encryptionContext } : {}) });
    this.calls.pop();
    return Buffer.from(out.ciphertext).toString('base64');
  }
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

interface StoredSecret {
  arn: string; name: string; tags: Record<string, string>; deletedDate?: Date; description?: string; kmsKeyId?: string;
  versions: Map<string, { value: string; stages: string[] }>;
}

export class FakeSecrets implements SecretsPort {
  readonly calls: string[] = [];
  readonly store = new Map<string, StoredSecret>();
  /** Operation → error name thrown once by that operation. */
  readonly failures = new Map<string, string>();
  private suffix = 0;

  private op(name: string): void {
    this.calls.push(name);
    const failure = this.failures.get(name);
    if (failure) { this.failures.delete(name); throw awsError(failure); }
  }

  private find(secretId: string): StoredSecret | undefined {
    return this.store.get(secretId) ?? [...this.store.values()].find((s) => s.arn === secretId);
  }

  private get(secretId: string, allowDeleted = false): StoredSecret {
    const secret = this.find(secretId);
    if (!secret) throw awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (secret.deletedDate && !allowDeleted) throw awsError('InvalidRequestException', 'secret is marked for deletion');
    return secret;
  }

  /** Adds a secret as another tool would (used for foreign-secret tests). */
  seed(name: string, value: string, tags: Record<string, string> = {}): string {
    const arn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-Fk${String(++this.suffix).padStart(4, '0')}`;
    this.store.set(name, { arn, name, tags: { ...tags }, versions: new Map([[`seed-${this.suffix}`, { value, stages: ['AWSCURRENT'] }]]) });
    return arn;
  }

  /** The AWSCURRENT value of `name` (test inspection only). */
  currentValue(name: string): string | undefined {
    return [...(this.find(name)?.versions.values() ?? [])].find((v) => v.stages.includes('AWSCURRENT'))?.value;
  }

  stateOf(secret: StoredSecret): SecretState {
    return {
      arn: secret.arn, name: secret.name, tags: { ...secret.tags },
      ...(secret.deletedDate ? { deletedDate: secret.deletedDate } : {}),
      versionIdsToStages: Object.fromEntries([...secret.versions].filter(([, v]) => v.stages.length > 0).map(([id, v]) => [id, [...v.stages]])),
      ...(secret.description !== undefined ? { description: secret.description } : {}),
      ...(secret.kmsKeyId ? { kmsKeyId: secret.kmsKeyId } : {}),
    };
  }

  async describe(secretId: string) {
    this.op('DescribeSecret');
    const secret = this.find(secretId);
    return secret ? this.stateOf(secret) : undefined;
  }

  async listByOwner(owner: string) {
    this.op('ListSecrets');
    return [...this.store.values()].filter((s) => s.tags['kms-secrets:owner'] === owner).map((s) => this.stateOf(s));
  }

  async create(input: { name: string; clientRequestToken: string; secretString: string; description?: string; kmsKeyId?: string; tags: readonly SecretTag[] }) {
    this.op('CreateSecret');
    const existing = this.store.get(input.name);
    if (existing?.deletedDate) throw awsError('InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
    if (existing) throw awsError('ResourceExistsException');
    const arn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${input.name}-Fk${String(++this.suffix).padStart(4, '0')}`;
    this.store.set(input.name, {
      arn, name: input.name, tags: Object.fromEntries(input.tags.map((t) => [t.Key, t.Value])),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
      versions: new Map([[input.clientRequestToken, { value: input.secretString, stages: ['AWSCURRENT'] }]]),
    });
    return { arn, name: input.name, versionId: input.clientRequestToken };
  }

  async putValue(input: { secretId: string; clientRequestToken: string; secretString: string }) {
    this.op('PutSecretValue');
    const secret = this.get(input.secretId);
    const existing = secret.versions.get(input.clientRequestToken);
    if (existing) {
      if (existing.value !== input.secretString) throw awsError('ResourceExistsException', 'token already used with other data');
      return { arn: secret.arn, versionId: input.clientRequestToken, versionStages: [...existing.stages] };
    }
    for (const version of secret.versions.values()) {
      version.stages = version.stages.filter((s) => s !== 'AWSPREVIOUS');
      if (version.stages.includes('AWSCURRENT')) version.stages = [...version.stages.filter((s) => s !== 'AWSCURRENT'), 'AWSPREVIOUS'];
    }
    secret.versions.set(input.clientRequestToken, { value: input.secretString, stages: ['AWSCURRENT'] });
    return { arn: secret.arn, versionId: input.clientRequestToken, versionStages: ['AWSCURRENT'] };
  }

  async updateVersionStage(input: { secretId: string; stage: string; moveToVersionId: string; removeFromVersionId?: string }) {
    this.op('UpdateSecretVersionStage');
    const secret = this.get(input.secretId);
    const target = secret.versions.get(input.moveToVersionId);
    if (!target) throw awsError('ResourceNotFoundException');
    const holder = [...secret.versions].find(([, v]) => v.stages.includes(input.stage));
    if (holder && holder[0] !== input.removeFromVersionId && holder[0] !== input.moveToVersionId) throw awsError('InvalidParameterException', 'RemoveFromVersionId must name the current holder');
    for (const version of secret.versions.values()) version.stages = version.stages.filter((s) => s !== input.stage && !(input.stage === 'AWSCURRENT' && s === 'AWSPREVIOUS'));
    if (holder && input.stage === 'AWSCURRENT' && holder[0] !== input.moveToVersionId) holder[1].stages.push('AWSPREVIOUS');
    target.stages.push(input.stage);
  }

  async updateMetadata(input: { secretId: string; description?: string; kmsKeyId?: string }) {
    this.op('UpdateSecret');
    const secret = this.get(input.secretId);
    if (input.description !== undefined) secret.description = input.description;
    if (input.kmsKeyId !== undefined) { if (input.kmsKeyId === '') delete secret.kmsKeyId; else secret.kmsKeyId = input.kmsKeyId; }
  }

  async tag(secretId: string, tags: readonly SecretTag[]) {
    this.op('TagResource');
    const secret = this.get(secretId, true);
    for (const t of tags) secret.tags[t.Key] = t.Value;
  }

  async untag(secretId: string, tagKeys: readonly string[]) {
    this.op('UntagResource');
    const secret = this.get(secretId, true);
    for (const k of tagKeys) delete secret.tags[k];
  }

  async delete(input: { secretId: string; recoveryWindowInDays: number }) {
    this.op('DeleteSecret');
    const secret = this.find(input.secretId);
    if (!secret) { if (input.recoveryWindowInDays === 0) return; throw awsError('ResourceNotFoundException'); }
    if (input.recoveryWindowInDays === 0) this.store.delete(secret.name);
    else secret.deletedDate = new Date(Date.UTC(2026, 0, 1 + input.recoveryWindowInDays));
  }

  async restore(secretId: string) {
    this.op('RestoreSecret');
    delete this.get(secretId, true).deletedDate;
  }
}

/** Fake ports with call counters shaped like createAwsPorts' (`Service.Operation`). */
export function fakePorts(kms = new FakeKms(), secrets = new FakeSecrets()): AwsPorts & { kms: FakeKms; secrets: FakeSecrets } {
  const calls: CallCounts = {};
  const countingKms = new Proxy(kms, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'decrypt' || prop === 'encrypt') return (...args: unknown[]) => { const op = `KMS.${prop === 'decrypt' ? 'Decrypt' : 'Encrypt'}`; calls[op] = (calls[op] ?? 0) + 1; return (value as (...a: unknown[]) => unknown).apply(target, args); };
      return value;
    },
  });
  return { kms: countingKms, secrets, calls };
}
