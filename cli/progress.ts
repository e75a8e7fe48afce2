/**
 * Human output of plan and sync: one line per secret that needs (or got) something, a summary, and a progress
 * line on stderr that is drawn only on a terminal (a CI log gets the summary, not 500 carriage returns).
 */
import type { CliContext } from './command.ts';
import { paint } from './io.ts';
import type { Plan, PlanAction, PlanItem } from './plan.ts';
import type { SyncItemResult, SyncOutcome } from './sync.ts';

const MARK: Record<PlanAction, string> = { create: '+', update: '~', unchanged: '=', 'not-managed': '!', delete: '-', invalid: 'x' };

/** `+ create       prod/db` (with what changes for an update, why for the others). */
export function planLine(item: PlanItem): string {
  const label = item.action === 'not-managed' ? 'not managed' : item.action;
  const detail = item.detail.length === 0 ? '' : item.action === 'update' ? ` (${item.detail.join(', ')})` : `: ${item.detail.join('; ')}`;
  return `${MARK[item.action]} ${label.padEnd(12)} ${item.name}${detail}`;
}

const usd = (amount: number) => `${amount < 0 ? '-' : ''}$${Math.abs(amount).toFixed(2)}`;

/** The plan's last line: counts and the monthly cost of the secrets this owner will manage. */
export function planSummary(plan: Plan): string {
  const c = plan.counts;
  const parts = [`${c.create} to create`, `${c.update} to update`, `${c.unchanged} unchanged`];
  if (c.delete > 0) parts.push(`${c.delete} to delete`);
  if (c['not-managed'] > 0) parts.push(`${c['not-managed']} not managed by this owner`);
  if (c.invalid > 0) parts.push(`${c.invalid} invalid`);
  const delta = plan.monthlyDeltaUsd === 0 ? '' : ` (${plan.monthlyDeltaUsd > 0 ? '+' : ''}${usd(plan.monthlyDeltaUsd)})`;
  return `Plan: ${parts.join(', ')}. ${plan.managed} managed secret${plan.managed === 1 ? '' : 's'}: ${usd(plan.monthlyUsd)}/month${delta}.`;
}

/** `created   prod/db` for a sync result worth a line (unchanged ones are only counted). */
export function resultLine(result: SyncItemResult): string {
  return `${result.outcome.padEnd(9)} ${result.name}${result.error ? `: ${result.error}` : ''}`;
}

/** How many results had each outcome (outcomes that did not occur are absent), as `sync --json` reports them. */
export function outcomeCounts(results: readonly SyncItemResult[]): Partial<Record<SyncOutcome, number>> {
  const counts: Partial<Record<SyncOutcome, number>> = {};
  for (const result of results) counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
  return counts;
}

/** The sync's last line: outcome counts. */
export function syncSummary(results: readonly SyncItemResult[]): string {
  const counts = outcomeCounts(results);
  const order: SyncOutcome[] = ['created', 'updated', 'reverted', 'unchanged', 'deleted', 'failed'];
  const parts = order.filter((o) => counts[o] !== undefined).map((o) => `${counts[o]} ${o}`);
  return `Sync: ${parts.length === 0 ? 'nothing to do' : parts.join(', ')}.`;
}

/** A progress reporter for `onResult`: redraws one stderr line on a terminal, does nothing elsewhere. */
export function progressReporter(context: CliContext): { onResult: (result: SyncItemResult, done: number, total: number) => void; end: () => void } {
  if (context.stderrIsTty !== true) return { onResult: () => undefined, end: () => undefined };
  let drawn = false;
  return {
    onResult: (result, done, total) => {
      drawn = true;
      context.stderr(`\r\u001b[K${paint(`[${done}/${total}]`, 'dim', context.color)} ${result.outcome} ${result.name}`);
    },
    end: () => { if (drawn) context.stderr('\r\u001b[K'); },
  };
}
