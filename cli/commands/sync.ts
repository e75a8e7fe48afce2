/**
 * `kms-secrets sync PATH...`: creates and updates the repository's secrets in Secrets Manager through the same core
 * as the provider, decrypting only new or changed ones. One failed secret does not stop the others; the exit code
 * says whether any failed; a rerun converges (every write is idempotent).
 */
import { describeError } from '../../core/errors.ts';
import { AWS_OPTIONS, AWS_OPTIONS_HELP, awsPortsFor, ownerTagValue, positiveIntOption } from '../aws-options.ts';
import { UsageError, type CliContext, type Command, type CommandInput } from '../command.ts';
import { errorLine, jsonDocument, oneLine } from '../io.ts';
import { DEFAULT_CONCURRENCY } from '../pool.ts';
import { outcomeCounts, progressReporter, resultLine, syncSummary } from '../progress.ts';
import { loadRepository, pruneScope } from '../repository.ts';
import { syncSecrets, type SyncReport } from '../sync.ts';

const MAX_CONCURRENCY = 50;

async function run(input: CommandInput, context: CliContext): Promise<number> {
  const owner = ownerTagValue(input, 'sync');
  const concurrency = positiveIntOption(input, 'concurrency', 'sync', DEFAULT_CONCURRENCY, MAX_CONCURRENCY);
  const json = input.values.json === true;
  const loaded = await loadRepository(input, context, 'sync').catch((error: unknown) => {
    // Nothing is synced, but a machine reading stdout still gets its one document (the error line follows on stderr).
    if (json && !(error instanceof UsageError)) context.stdout(jsonDocument(syncJson(undefined, owner, [oneLine((error as Error).message)], {}, 0)));
    throw error;
  });
  const scope = pruneScope(loaded, input.values.prune === true, context, 'sync');
  const ports = awsPortsFor(input, 'sync');
  const progress = progressReporter(context);
  const started = Date.now();
  const report = await syncSecrets(ports, loaded.secrets, {
    owner, concurrency, ...scope, onResult: progress.onResult,
  }).catch((error: unknown) => {
    // Listing failed (AWS refused or unreachable), so nothing was written: still one JSON document for a machine.
    progress.end();
    if (json) context.stdout(jsonDocument(syncJson(undefined, owner, [...loaded.problems.map((p) => p.message), describeError(error)], ports.calls, Date.now() - started)));
    throw error;
  });
  progress.end();
  if (json) context.stdout(jsonDocument(syncJson(report, owner, loaded.problems.map((p) => p.message), ports.calls, Date.now() - started)));
  for (const result of report.results) {
    if (result.outcome === 'failed') context.stderr(errorLine(resultLine(result), context.color));
    else if (!json && result.outcome !== 'unchanged') context.stdout(`${resultLine(result)}\n`);
  }
  if (!json) context.stdout(`${syncSummary(report.results)}${loaded.problems.length > 0 ? ` ${loaded.problems.length} invalid entr${loaded.problems.length === 1 ? 'y' : 'ies'} skipped.` : ''}\n`);
  return report.failed > 0 || loaded.problems.length > 0 ? 1 : 0;
}

/** The `--json` report; `report` is undefined when the PATHs could not be loaded (nothing listed, nothing synced). */
function syncJson(report: SyncReport | undefined, owner: string, problems: string[], calls: Record<string, number>, elapsedMs: number) {
  const results = report?.results ?? [];
  return {
    owner,
    summary: outcomeCounts(results),
    failed: report?.failed ?? 0,
    secrets: results,
    problems,
    // null, not 0, when unknown: ListSecrets was never called.
    managed: report?.plan.managed ?? null,
    monthlyUsd: report?.plan.monthlyUsd ?? null,
    // AWS API calls by operation (SDK retries not counted): the proof that unchanged secrets cost no Decrypt.
    calls: { ...calls },
    elapsedMs,
  };
}

/** The `sync` command. */
export const syncCommand: Command = {
  name: 'sync',
  summary: 'Create or update the repository\'s secrets in Secrets Manager, decrypting only new or changed ones.',
  usage: 'PATH... [--owner NAME] [--concurrency N] [--since GIT_REF] [--prune] [--json]',
  help: [
    'PATH is a secrets file or a folder (every .yaml/.yml file below it). Lists this owner\'s secrets (one',
    'ListSecrets call per 100), then for each new or changed secret decrypts its ciphertext(s) with KMS and writes',
    'it with a deterministic version ID; unchanged secrets cost no call at all. Every secret it creates is tagged',
    'kms-secrets:owner = cli:NAME; a secret without that exact tag is never modified or deleted.',
    '',
    'A bad entry or a failed secret is reported on stderr and the others still run; the exit code is then 1 and',
    'a rerun picks up where it failed. Progress is drawn on stderr when it is a terminal; a summary ends stdout.',
    '',
    'Options:',
    '  --owner NAME         owner tag value is cli:NAME (default: cli:default); use one per pipeline',
    `  --concurrency N      secrets written at once, 1-${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY}); the SDK's adaptive retry`,
    '                       backs off if Secrets Manager throttles',
    '  --since GIT_REF      only secrets defined in files changed since GIT_REF (git diff --name-only); a JSON',
    '                       secret with keys in several files is still written whole',
    '  --prune              delete (7-day recovery window) this owner\'s secrets that no file under the given',
    '                       PATHs defines: give every PATH this owner syncs (or use one --owner per PATH); never',
    '                       with --since, and skipped when a secrets file cannot be read',
    '  --json               print a JSON report on stdout (results, problems, AWS calls by operation)',
    ...AWS_OPTIONS_HELP,
    '',
    'Exit codes: 0 all in sync, 1 a secret or entry failed (the rest were still synced), 2 usage error.',
  ].join('\n'),
  options: {
    owner: { type: 'string' },
    concurrency: { type: 'string' },
    since: { type: 'string' },
    prune: { type: 'boolean' },
    json: { type: 'boolean' },
    ...AWS_OPTIONS,
  },
  run,
};
