import { expect } from 'chai';
import { UsageError, type Command } from '../../../cli/command.ts';
import { COMMANDS } from '../../../cli/commands/index.ts';
import { errorLine } from '../../../cli/io.ts';
import { colorEnabled } from '../../../cli/io.ts';
import { runCli } from '../../../cli/run.ts';
import { captureContext } from './context.ts';

const calls: { positionals: readonly string[]; values: object; debug: boolean }[] = [];
const echo: Command = {
  name: 'echo', summary: 'Echo the positionals.', usage: 'WORD... [--loud]', help: 'Prints WORDs.',
  options: { loud: { type: 'boolean' } },
  async run(input, context) {
    calls.push({ positionals: input.positionals, values: input.values, debug: context.debug });
    if (input.positionals[0] === 'fail') throw new Error('it broke\nbadly');
    if (input.positionals[0] === 'usage') throw new UsageError('echo: bad words');
    if (input.positionals[0] === 'no-region') throw new Error('Region is missing');
    context.stdout(`${input.positionals.join(' ')}\n`);
    return 0;
  },
};
const commands = [echo];

describe('runCli', () => {
  beforeEach(() => { calls.length = 0; });

  it('exits 1 with the fix, not the SDK\'s bare text, when the AWS setup is incomplete', async () => {
    const context = captureContext();
    expect(await runCli(['echo', 'no-region'], context, commands, '1')).to.equal(1);
    expect(context.err).to.deep.equal(['kms-secrets: error: no AWS Region: pass --region or set AWS_REGION\n']);
  });

  it('runs the named command with its options and positionals and exits 0', async () => {
    const context = captureContext();
    expect(await runCli(['echo', 'a', '--loud', 'b'], context, commands, '1.2.3')).to.equal(0);
    expect(context.out.join('')).to.equal('a b\n');
    expect(calls[0]).to.deep.equal({ positionals: ['a', 'b'], values: { loud: true }, debug: false });
  });

  it('prints the program help listing every command when given --help', async () => {
    const context = captureContext();
    expect(await runCli(['--help'], context, commands, '1.2.3')).to.equal(0);
    expect(context.out.join('')).to.include('kms-secrets 1.2.3').and.include('  echo  Echo the positionals.');
  });

  it('prints a command\'s help when given "<command> --help" or "help <command>"', async () => {
    for (const argv of [['echo', '--help'], ['echo', '-h'], ['help', 'echo'], ['--help', 'echo']]) {
      const context = captureContext();
      expect(await runCli(argv, context, commands, '1')).to.equal(0);
      expect(context.out.join('')).to.equal('Usage: kms-secrets echo WORD... [--loud]\n\nEcho the positionals.\n\nPrints WORDs.\n');
    }
    expect(calls).to.have.length(0);
  });

  it('prints the version when given --version', async () => {
    const context = captureContext();
    expect(await runCli(['--version'], context, commands, '1.2.3')).to.equal(0);
    expect(context.out).to.deep.equal(['1.2.3\n']);
  });

  for (const [what, argv, message] of [
    ['no command', [], 'no command given'],
    ['an unknown command', ['nope'], 'unknown command "nope"'],
    ['an unknown option', ['echo', '--bogus'], "echo: Unknown option '--bogus'"],
    ['an unknown global option', ['--bogus', 'echo'], 'unknown option "--bogus" before the command'],
  ] as const) {
    it(`exits 2 with one line on stderr when given ${what}`, async () => {
      const context = captureContext();
      expect(await runCli(argv, context, commands, '1')).to.equal(2);
      expect(context.err).to.have.length(1);
      expect(context.err[0]).to.match(/^kms-secrets: error: .*\n$/).and.include(message).and.include('(run "kms-secrets --help")');
      expect(context.out).to.deep.equal([]);
    });
  }

  it('exits 2 when a command throws a UsageError', async () => {
    const context = captureContext();
    expect(await runCli(['echo', 'usage'], context, commands, '1')).to.equal(2);
    expect(context.err).to.deep.equal(['kms-secrets: error: echo: bad words (run "kms-secrets --help")\n']);
  });

  it('exits 1 with the message folded onto one line and no stack when a command fails', async () => {
    const context = captureContext();
    expect(await runCli(['echo', 'fail'], context, commands, '1')).to.equal(1);
    expect(context.err).to.deep.equal(['kms-secrets: error: it broke badly\n']);
  });

  it('adds the stack trace when given --debug', async () => {
    const context = captureContext();
    expect(await runCli(['echo', 'fail', '--debug'], context, commands, '1')).to.equal(1);
    expect(context.err[0]).to.equal('kms-secrets: error: it broke badly\n');
    expect(context.err[1]).to.match(/^Error: it broke\nbadly\n\s+at /);
    expect(calls[0]?.debug).to.equal(true);
  });

  it('colours the error label only when colour is enabled', () => {
    expect(errorLine('x', true)).to.equal('kms-secrets: \u001b[31merror\u001b[0m: x\n');
    expect(errorLine('x', false)).to.equal('kms-secrets: error: x\n');
  });

  it('lists the transform command in the real registry', () => {
    expect(COMMANDS.map((command) => command.name)).to.include('transform');
  });
});

describe('colorEnabled', () => {
  it('is false when NO_COLOR is set to a non-empty value, even on a terminal', () => {
    expect(colorEnabled({ NO_COLOR: '1' }, true)).to.equal(false);
  });

  it('is true on a terminal when NO_COLOR is unset or empty', () => {
    expect(colorEnabled({}, true)).to.equal(true);
    expect(colorEnabled({ NO_COLOR: '' }, true)).to.equal(true);
  });

  it('is false when stderr is not a terminal', () => {
    expect(colorEnabled({}, false)).to.equal(false);
  });
});
