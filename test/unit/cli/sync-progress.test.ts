import { expect } from 'chai';
import type { CliContext } from '../../../cli/command.ts';
import { planLine, planSummary, progressReporter, syncSummary } from '../../../cli/progress.ts';
import { planSecrets } from '../../../cli/plan.ts';
import type { SyncItemResult } from '../../../cli/sync.ts';

function context(tty: boolean) {
  const err: string[] = [];
  const ctx: CliContext = { stdout: () => undefined, stderr: (t) => { err.push(t); }, env: {}, cwd: '/', color: false, debug: false, stderrIsTty: tty, readStdin: async () => new Uint8Array() };
  return { ctx, err };
}
const result = (name: string, outcome: SyncItemResult['outcome']): SyncItemResult => ({ name, planned: 'create', outcome });

describe('progressReporter', () => {
  it('draws one redrawn stderr line per result on a terminal and clears it at the end', () => {
    const { ctx, err } = context(true);
    const progress = progressReporter(ctx);
    progress.onResult(result('app/a', 'created'), 1, 2);
    progress.onResult(result('app/b', 'unchanged'), 2, 2);
    progress.end();
    expect(err).to.deep.equal(['\r\u001b[K[1/2] created app/a', '\r\u001b[K[2/2] unchanged app/b', '\r\u001b[K']);
  });

  it('writes nothing when stderr is not a terminal (CI logs get the summary only)', () => {
    const { ctx, err } = context(false);
    const progress = progressReporter(ctx);
    progress.onResult(result('app/a', 'created'), 1, 1);
    progress.end();
    expect(err).to.deep.equal([]);
  });
});

describe('syncSummary', () => {
  it('counts outcomes in a fixed order', () => {
    expect(syncSummary([result('a', 'failed'), result('b', 'created'), result('c', 'unchanged'), result('d', 'created')])).to.equal('Sync: 2 created, 1 unchanged, 1 failed.');
    expect(syncSummary([])).to.equal('Sync: nothing to do.');
  });
});

describe('planSummary', () => {
  it('prints counts and the monthly cost with its change', () => {
    const spec = { name: 'app/a', values: [{ ciphertext: 'QUJD' }], tags: [] };
    const plan = planSecrets([{ spec, fingerprint: 'f', files: [], sources: [] }], [], { owner: 'cli:default' });
    expect(planLine(plan.items[0]!)).to.equal('+ create       app/a');
    expect(planSummary(plan)).to.equal('Plan: 1 to create, 0 to update, 0 unchanged. 1 managed secret: $0.40/month (+$0.40).');
  });
});
