// The one error boundary: every command runs through here, and errors become exit codes.
import { InputError, InterruptedError, RunbookError, seeLine } from '../core/errors.js';
import { buildProgram } from './program.js';

async function main(argv: string[]): Promise<number> {
  // The shells' completion scripts call this on every Tab: answered before commander, which would read its words as flags.
  if (argv[2] === '__complete') {
    const { complete } = await import('./completion/complete.js');
    for (const candidate of complete(argv.slice(3))) process.stdout.write(`${candidate}\n`);
    return 0;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Ctrl-C before the run starts (at a -k / -K prompt) is still an interruption: 130.
    if (err instanceof InterruptedError) {
      process.stderr.write(`\n${err.describe()}\n`);
      return 130;
    }
    if (err instanceof InputError) {
      process.stderr.write(`ERROR! ${err.describe()}\n`);
      return 1;
    }
    if (err && typeof err === 'object' && 'code' in err && String((err as { code: unknown }).code).startsWith('commander.')) {
      // commander already printed usage or --help / --version output.
      const code = (err as { exitCode?: number }).exitCode ?? 1;
      return code === 0 ? 0 : 1;
    }
    if (err instanceof RunbookError) {
      process.stderr.write(`ERROR! ${err.describe()}\n`);
      return 1;
    }
    process.stderr.write(`ERROR! unexpected internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n  ${seeLine('internal-error')}\n`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
