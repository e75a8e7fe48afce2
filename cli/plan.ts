/**
 * The pure part of `plan` and `sync`: desired secrets × the live states ListSecrets returned → what each secret needs.
 * Uses the core's own `planUpsert`, so the plan and the write can never disagree. No AWS call, no plaintext.
 */
import type { SecretState } from '../core/aws.ts';
import { FINGERPRINT_TAG, SECRET_MONTHLY_USD } from '../core/constants.ts';
import { describeError, OwnershipError } from '../core/errors.ts';
import { checkSpec, planUpsert } from '../core/secrets.ts';
import type { DesiredSecret } from './secrets-file.ts';

/**
 * create: absent from the owner's listing; update: value, metadata or tags differ (or it is pending deletion);
 * unchanged: nothing to do; not-managed: another owner's secret, left alone; delete: ours, gone from the repository
 * (only with prune); invalid: the repository's definition is unusable.
 */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'not-managed' | 'delete' | 'invalid';

/** One secret's line in the plan: what sync will do to it, and why. */
export interface PlanItem {
  readonly name: string;
  readonly action: PlanAction;
  /** For update: what changes (`value`, `revert`, `metadata`, `tags`, `restore`); for the others, why. */
  readonly detail: readonly string[];
  /** True when the action needs KMS Decrypt (a new value). */
  readonly decrypts: boolean;
  readonly desired?: DesiredSecret;
  readonly live?: SecretState;
}

/** Every secret's action plus the counts and monthly cost `plan` prints. */
export interface Plan {
  readonly items: readonly PlanItem[];
  readonly counts: Readonly<Record<PlanAction, number>>;
  /** Secrets this owner will manage once applied, and what they cost a month (aws-facts.md §5.4). */
  readonly managed: number;
  readonly monthlyUsd: number;
  /** Change in monthly cost from creates and deletes. */
  readonly monthlyDeltaUsd: number;
}

/** What {@link planSecrets} needs besides the desired and the owned secrets. */
export interface PlanOptions {
  readonly owner: string;
  /** Also plan deletes for secrets this owner manages that the repository no longer has. */
  readonly prune?: boolean;
  /** Names never planned for deletion (their repository entry exists but is broken). */
  readonly keep?: ReadonlySet<string>;
  /** States found outside the owner's listing (DescribeSecret of the would-be creates), by name. */
  readonly others?: ReadonlyMap<string, SecretState>;
  /** Names whose DescribeSecret failed, with the reason: planned invalid, so one refusal does not hide the rest. */
  readonly unreadable?: ReadonlyMap<string, string>;
}

/** Decides every secret's action. `owned` is the owner's ListSecrets result (pending deletion included). */
export function planSecrets(desired: readonly DesiredSecret[], owned: readonly SecretState[], options: PlanOptions): Plan {
  const byName = new Map(owned.map((state) => [state.name, state]));
  const items: PlanItem[] = desired.map((secret) => {
    const reason = options.unreadable?.get(secret.spec.name);
    if (reason !== undefined) return { name: secret.spec.name, action: 'invalid', detail: [`cannot read its live state: ${reason}`], decrypts: false, desired: secret };
    return planOne(secret, byName.get(secret.spec.name) ?? options.others?.get(secret.spec.name), options.owner);
  });
  if (options.prune) {
    const wanted = new Set(desired.map((secret) => secret.spec.name));
    for (const state of owned) {
      if (wanted.has(state.name) || options.keep?.has(state.name) || state.deletedDate !== undefined) continue;
      items.push({ name: state.name, action: 'delete', detail: ['no longer in the repository'], decrypts: false, live: state });
    }
  }
  const counts: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, 'not-managed': 0, delete: 0, invalid: 0 };
  for (const item of items) counts[item.action] += 1;
  const managed = counts.create + counts.update + counts.unchanged;
  const pendingRestore = items.filter((item) => item.detail.includes('restore')).length;
  const cents = (n: number) => Math.round(n * SECRET_MONTHLY_USD * 100) / 100;
  return {
    items,
    counts,
    managed,
    monthlyUsd: cents(managed),
    // A secret pending deletion is not billed (aws-facts.md §5.4), so restoring one adds to the bill as a create does.
    monthlyDeltaUsd: cents(counts.create + pendingRestore - counts.delete),
  };
}

function planOne(secret: DesiredSecret, live: SecretState | undefined, owner: string): PlanItem {
  const name = secret.spec.name;
  const base = { name, desired: secret, ...(live ? { live } : {}) };
  try {
    checkSpec(secret.spec);
    const upsert = planUpsert(secret.spec, live, owner);
    if (upsert.action === 'create') return { ...base, action: 'create', detail: [], decrypts: true };
    const detail: string[] = [];
    if (upsert.restore) detail.push('restore');
    if (upsert.action === 'write') detail.push('value');
    if (upsert.action === 'revert') detail.push('revert');
    if (upsert.metadata) detail.push(...Object.keys(upsert.metadata));
    // The fingerprint tag moves with the value; list it only when it is the sole tag change.
    const tagKeys = [...upsert.tagsToSet.map((t) => t.Key), ...upsert.tagKeysToRemove];
    if (tagKeys.some((key) => key !== FINGERPRINT_TAG) || (tagKeys.length > 0 && upsert.action === 'none')) detail.push('tags');
    return { ...base, action: detail.length === 0 ? 'unchanged' : 'update', detail, decrypts: upsert.action === 'write' };
  } catch (error) {
    if (error instanceof OwnershipError) return { ...base, action: 'not-managed', detail: [describeError(error)], decrypts: false };
    return { ...base, action: 'invalid', detail: [describeError(error)], decrypts: false };
  }
}
