/**
 * Applies a plan through the same core as the provider: one ListSecrets sweep, then `upsertSecret` with the listed
 * state as `observed` (an unchanged secret costs no call at all, a new one no DescribeSecret), with bounded
 * concurrency. One failed secret never stops the others; a rerun converges because every write is idempotent.
 */
import { DEFAULT_RECOVERY_WINDOW_DAYS } from '../core/constants.ts';
import { describeError } from '../core/errors.ts';
import { deleteSecret, upsertSecret, type SecretsDeps } from '../core/secrets.ts';
import { planSecrets, type Plan, type PlanItem } from './plan.ts';
import { runPool } from './pool.ts';
import type { DesiredSecret } from './secrets-file.ts';

/** What happened to one secret. */
export type SyncOutcome = 'created' | 'updated' | 'reverted' | 'unchanged' | 'deleted' | 'failed';

/** One secret's outcome, as printed and as `sync --json` reports it. */
export interface SyncItemResult {
  readonly name: string;
  readonly planned: PlanItem['action'];
  readonly outcome: SyncOutcome;
  readonly arn?: string;
  readonly versionId?: string;
  /** One-line reason when failed (never a plaintext: the core's messages carry names and codes only). */
  readonly error?: string;
}

/** How {@link syncSecrets} runs: owner tag, concurrency, pruning and progress. */
export interface SyncOptions {
  readonly owner: string;
  readonly concurrency: number;
  readonly prune?: boolean;
  /** Names never deleted by prune (their repository entry exists but is broken). */
  readonly keep?: ReadonlySet<string>;
  readonly recoveryWindowInDays?: number;
  /** Called as each secret finishes, for progress output. */
  readonly onResult?: (result: SyncItemResult, done: number, total: number) => void;
}

/** The plan that was applied and what happened to each secret. */
export interface SyncReport {
  readonly plan: Plan;
  readonly results: readonly SyncItemResult[];
  readonly failed: number;
}

/** Brings Secrets Manager in line with `desired` for `owner` and reports every secret's outcome. */
export async function syncSecrets(deps: SecretsDeps, desired: readonly DesiredSecret[], options: SyncOptions): Promise<SyncReport> {
  const owned = await deps.secrets.listByOwner(options.owner);
  const plan = planSecrets(desired, owned, { owner: options.owner, prune: options.prune ?? false, ...(options.keep ? { keep: options.keep } : {}) });
  const items = plan.items;
  let done = 0;
  const settled = await runPool(items, options.concurrency, async (item) => {
    const result = await applyItem(deps, item, options).catch((error: unknown): SyncItemResult => (
      { name: item.name, planned: item.action, outcome: 'failed', error: describeError(error) }));
    done += 1;
    options.onResult?.(result, done, items.length);
    return result;
  });
  const results = settled.map((s, i): SyncItemResult => (s.status === 'fulfilled' ? s.value
    : { name: items[i]?.name ?? '', planned: items[i]?.action ?? 'invalid', outcome: 'failed', error: describeError(s.reason) }));
  return { plan, results, failed: results.filter((r) => r.outcome === 'failed').length };
}

async function applyItem(deps: SecretsDeps, item: PlanItem, options: SyncOptions): Promise<SyncItemResult> {
  const base = { name: item.name, planned: item.action };
  switch (item.action) {
    case 'unchanged':
      return { ...base, outcome: 'unchanged', ...(item.live ? { arn: item.live.arn } : {}) };
    case 'invalid':
    case 'not-managed':
      return { ...base, outcome: 'failed', error: item.detail[0] ?? item.action };
    case 'delete': {
      const out = await deleteSecret(deps, item.live?.arn ?? item.name, {
        owner: options.owner, recoveryWindowInDays: options.recoveryWindowInDays ?? DEFAULT_RECOVERY_WINDOW_DAYS,
      });
      if (out.outcome === 'not-owned') return { ...base, outcome: 'failed', error: `secret "${item.name}" is no longer managed by "${options.owner}"; left alone` };
      return { ...base, outcome: 'deleted', ...(out.arn ? { arn: out.arn } : {}) };
    }
    default: {
      if (!item.desired) throw new Error(`secret "${item.name}": nothing to write`);
      const out = await upsertSecret(deps, item.desired.spec, { owner: options.owner, observed: item.live ?? null });
      return { ...base, outcome: out.outcome, arn: out.arn, versionId: out.versionId };
    }
  }
}
