/**
 * `kms-secrets plan PATH...`: what `sync` would do, found from ListSecrets metadata alone (fingerprint tags and
 * version stages): no Decrypt, no GetSecretValue. ListSecrets lags by minutes, so each would-be create is checked
 * with DescribeSecret (strongly consistent), which also spots a same-named secret kms-secrets does not manage.
 */
import type { SecretState } from '../../core/aws.ts';
import { describeError } from '../../core/errors.ts';
import { AWS_OPTIONS, AWS_OPTIONS_HELP, awsPortsFor, ownerTagValue } from '../aws-options.ts';
import { UsageError, type CliContext, type Command, type CommandInput } from '../command.ts';
import { planSecrets, type Plan } from '../plan.ts';
import { jsonDocument, oneLine } from '../io.ts';
import { planLine, planSummary } from '../progress.ts';
import { runPool, DEFAULT_CONCURRENCY } from '../pool.ts';
import { loadRepository, pruneScope } from '../repository.ts';

async function run(input: CommandInput, context: CliContext): Promise<number> {
  const owner = ownerTagValue(input, 'plan');
  const json = input.values.json === true;
  const loaded = await loadRepository(input, context, 'plan').catch((error: unknown) => {
    // Nothing is planned, but a machine reading stdout still gets its one document (the error line follows on stderr).
    if (json && !(error instanceof UsageError)) context.stdout(jsonDocument(planJson(undefined, owner, [oneLine((error as Error).message)], {})));
    throw error;
  });
  const ports = awsPortsFor(input, 'plan');
  const owned = await ports.secrets.listByOwner(owner).catch((error: unknown) => {
    // AWS refused or could not be reached: still one JSON document for a machine, then the error line on stderr.
    if (json) context.stdout(jsonDocument(planJson(undefined, owner, [...loaded.problems.map((p) => p.message), describeError(error)], ports.calls)));
    throw error;
  });
  const listed = new Set(owned.map((state) => state.name));
  const missing = loaded.secrets.filter((secret) => !listed.has(secret.spec.name)).map((secret) => secret.spec.name);
  const others = new Map<string, SecretState>();
  const unreadable = new Map<string, string>();
  const described = await runPool(missing, DEFAULT_CONCURRENCY, (name) => ports.secrets.describe(name));
  described.forEach((result, i) => {
    // One refused DescribeSecret (a name outside the role's prefix) marks that secret alone, as sync would fail it alone.
    if (result.status === 'rejected') unreadable.set(missing[i] as string, describeError(result.reason));
    else if (result.value !== undefined) others.set(missing[i] as string, result.value);
  });
  // As sync does: never plan deleting a secret whose entry is broken, nor prune at all when a file is unreadable.
  const scope = pruneScope(loaded, input.values.prune === true, context, 'plan');
  const plan = planSecrets(loaded.secrets, owned, { owner, others, unreadable, ...scope });
  if (json) context.stdout(jsonDocument(planJson(plan, owner, loaded.problems.map((p) => p.message), ports.calls)));
  else {
    for (const item of plan.items) if (item.action !== 'unchanged' || input.values.verbose === true) context.stdout(`${planLine(item)}\n`);
    context.stdout(`${planSummary(plan)}\n`);
  }
  if (loaded.problems.length > 0 || plan.counts.invalid > 0 || plan.counts['not-managed'] > 0) return 1;
  const pending = plan.counts.create + plan.counts.update + plan.counts.delete;
  return input.values['detailed-exitcode'] === true && pending > 0 ? 2 : 0;
}

/** The `--json` plan; `plan` is undefined when the PATHs could not be loaded (nothing listed, nothing planned). */
function planJson(plan: Plan | undefined, owner: string, problems: string[], calls: Record<string, number>) {
  return {
    owner,
    secrets: (plan?.items ?? []).map((item) => ({
      name: item.name, action: item.action, detail: item.detail, decrypts: item.decrypts,
      ...(item.desired ? { fingerprint: item.desired.fingerprint, sources: item.desired.sources } : {}),
      ...(item.live ? { arn: item.live.arn } : {}),
    })),
    counts: (plan ?? planSecrets([], [], { owner })).counts,
    // null, not 0, when unknown: ListSecrets was never called.
    managed: plan?.managed ?? null,
    monthlyUsd: plan?.monthlyUsd ?? null,
    monthlyDeltaUsd: plan?.monthlyDeltaUsd ?? null,
    problems,
    calls: { ...calls },
  };
}

/** The `plan` command. */
export const planCommand: Command = {
  name: 'plan',
  summary: 'Show which secrets sync would create, update, leave or delete, and what they cost (no Decrypt).',
  usage: 'PATH... [--owner NAME] [--since GIT_REF] [--prune] [--detailed-exitcode] [--json] [--verbose]',
  help: [
    'PATH is a secrets file or a folder (every .yaml/.yml file below it). For each secret, compares the',
    'repository\'s fingerprint (a hash of its ciphertexts) with the version and fingerprint tag of the live secret',
    'that ListSecrets (100 a page) returns for this owner. Nothing is decrypted and no secret value is read.',
    '',
    '  + create       no such secret yet',
    '  ~ update       the value (new ciphertext), Description, KmsKeyId or tags differ, or it is pending deletion',
    '  = unchanged    nothing to do (listed only with --verbose)',
    '  ! not managed  a secret with that name exists but is not managed by this owner: sync will refuse it',
    '  - delete       with --prune: managed by this owner, gone from the repository',
    '  x invalid      the repository\'s definition cannot be written as is',
    '',
    'Ends with the monthly cost of the secrets this owner manages ($0.40 each).',
    '',
    'Options:',
    '  --owner NAME         owner tag value is cli:NAME (default: cli:default); use one per pipeline',
    '  --since GIT_REF      only secrets defined in files changed since GIT_REF (git diff --name-only)',
    '  --prune              also plan deleting this owner\'s secrets that no file under the given PATHs defines',
    '  --detailed-exitcode  exit 2 when changes are pending, 0 when there is nothing to do',
    '  --json               print the plan as JSON on stdout',
    '  --verbose            also list unchanged secrets',
    ...AWS_OPTIONS_HELP,
    '',
    'Exit codes: 0 ok (with --detailed-exitcode: nothing to do), 1 error (a bad entry, a secret not managed by',
    'this owner, or an AWS failure), 2 usage error or, with --detailed-exitcode, changes pending.',
  ].join('\n'),
  options: {
    owner: { type: 'string' },
    since: { type: 'string' },
    prune: { type: 'boolean' },
    'detailed-exitcode': { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    ...AWS_OPTIONS,
  },
  run,
};
