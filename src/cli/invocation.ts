import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COMMANDS, type CommandName, helpText, isCommand, OPTIONS, type OptionName } from './commands.ts';
import { dateOption, knownAtOption, OptionError } from './dates.ts';

// Reading the command line: the command, its arguments and options, each checked before anything is
// opened. A mistake is refused with a message and exit code 2, and changes nothing.

export type Values = Partial<Record<OptionName | 'help', string | boolean>>;

export interface Invocation {
  command: CommandName;
  args: string[];
  values: Values;
  on?: string;
  until?: string;
  knownAt?: string;
  /** import-cohort's file, read before anything is opened. */
  csv?: string;
}

export const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

/** Parses and checks the command line; a number is the exit code to stop with. */
export function invocation(argv: string[]): Invocation | number {
  const [command, ...rest] = argv;
  if (command === undefined) return usage('give a command');
  if (command === '--help' || command === '-h') {
    console.log(helpText());
    return 0;
  }
  if (!isCommand(command)) return usage(`unknown command ${command}`);
  const spec = COMMANDS[command];
  const options = Object.fromEntries([
    ...spec.options.map((o) => [o, { type: OPTIONS[o].type }]),
    ['help', { type: 'boolean', short: 'h' }],
  ]);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /'(--?[^' ]+)/.exec(String((error as Error).message))?.[1] ?? '';
    const takes = spec.options.length ? spec.options.map((o) => `--${o}`).join(', ') : 'no options';
    return (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? usage(`${command} does not take ${option} (it takes ${takes})`, command)
      : usage(`${command}: ${(error as Error).message}`, command);
  }
  const values = parsed.values as Values;
  if (values.help) {
    console.log(helpText(command));
    return 0;
  }
  const args = parsed.positionals;
  if (args.length !== spec.args) return usage(`usage: ${spec.usage}`, command);
  try {
    const inv: Invocation = {
      command,
      args,
      values,
      on: dateOption('on', str(values.on)),
      until: dateOption('until', str(values.until)),
      knownAt: knownAtOption('known-at', str(values['known-at'])),
    };
    if (command === 'import-cohort') {
      const file = str(values.file);
      if (!str(values.cohort) || !file) return usage('import-cohort needs --cohort and --file', command);
      inv.csv = readCsv(file);
    }
    return inv;
  } catch (error) {
    if (error instanceof OptionError) return usage(error.message, command);
    throw error;
  }
}

function readCsv(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : String((error as Error).message);
    throw new OptionError(`cannot read --file ${file}: ${why}`);
  }
}

/** A mistake on the command line: say what, and where the help is (all of it when no command was named). */
export function usage(message: string, command?: CommandName): number {
  console.error(
    command ? `${message}\nsee: npm run ledger -- ${command} --help` : `${message}\n\n${helpText()}`,
  );
  return 2;
}
