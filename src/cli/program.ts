import { Command, CommanderError, Option } from 'commander';
import type { Io } from '../io.ts';
import { exitCodeFor } from './exit.ts';
import { UsageError } from '../errors.ts';
import { debugRequested, withoutDebugFlag } from './debug.ts';
import { toolVersion } from '../version.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Builds the command line. Actions import their command lazily so `--help` and light commands load little. */
export function buildProgram(io: Io): Command {
  const program = new Command('mail-oauth-runbook')
    .description(
      'Runbooks, scripts and checks for app-only OAuth (client credentials) to Exchange Online IMAP, POP and SMTP.',
    )
    .version(toolVersion, '-V, --version')
    .option('--debug', 'on an internal error, also print its stack trace (as does DEBUG=mail-oauth-runbook)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  mail-oauth-runbook init contoso-hr.yaml
  mail-oauth-runbook validate runbooks/*.yaml
  mail-oauth-runbook generate runbooks/contoso-hr.yaml --check
  HR_TEST_MAIL_SECRET=… mail-oauth-runbook verify runbooks/contoso-hr.yaml --env test

Exit codes:
  0  success (warnings may have been printed)
  1  a check failed: generate --check found differences, a verify check failed
  2  bad usage or bad input: an invalid manifest, config file or template, an unknown flag or environment
  3  internal error: a bug in mail-oauth-runbook (please report it)

Environment variables it reads:
  <app.secret.env>             verify: the client secret Value, from the variable the manifest names
  HTTPS_PROXY, NO_PROXY        verify: the HTTP proxy for the token request and the logins (also lowercase)
  NODE_EXTRA_CA_CERTS          verify: more trusted certificates (Node.js reads it), for a proxy or a test server
  NO_COLOR, FORCE_COLOR, TERM  colour in diagnostics (only on a terminal by default)
  DEBUG=mail-oauth-runbook     on an internal error, also print its stack trace (as --debug)

-v, -V and --version print the version; <command> --help explains a command.`,
    );

  program
    .command('validate')
    .description(
      'check manifests against the schema and the rules; print every problem with file:line:column and a fix',
    )
    .argument(
      '[manifest...]',
      'manifest files or quoted globs (default: every manifest under the current folder, as status finds them); - reads standard input',
    )
    .addOption(
      new Option('--format <format>', 'how to print the diagnostics: text, json, or github (workflow annotations)')
        .choices(['text', 'json', 'github'])
        .default('text', 'text'),
    )
    .option('--json', 'print the diagnostics as JSON on stdout (as --format json)')
    .addHelpText(
      'after',
      '\nExamples:\n  mail-oauth-runbook validate runbooks/contoso-hr.yaml\n  mail-oauth-runbook validate --format github runbooks/*.yaml\n  curl -s https://git.example.com/raw/hr.yaml | mail-oauth-runbook validate -',
    )
    .action(
      async (files: string[], opts: { json?: boolean; format?: import('../commands/validate.ts').ValidateFormat }) =>
        (await import('../commands/validate.ts')).validateCommand(files, opts, io),
    );

  program
    .command('init')
    .description(
      'write a commented starter manifest; on a terminal it asks for what the flags do not give (never overwrites)',
    )
    .argument('[file]', 'where to write it; - writes to standard output', 'mail-oauth-runbook.yaml')
    .option('--company <name>', 'Bizagi company, as in https://<env>-<project>-<company>.bizagi.com')
    .option('--project <name>', 'Bizagi project')
    .addOption(new Option('--hosting <hosting>', 'where the project runs').choices(['cloud', 'on-premises']))
    .option('--tenant <id>', 'Directory (tenant) ID (default: all zeros, which validate warns about)')
    .option('-e, --env <name>', 'an environment (repeatable; default: test and production)', collect)
    .option(
      '--mailbox <env:address[:protocols]>',
      'a mailbox of an environment, with its protocols (default imap,smtp; repeatable)',
      collect,
    )
    .option('--no-input', 'never ask, even on a terminal: what no flag gives stays a <placeholder>')
    .addHelpText(
      'after',
      '\nWhat is neither asked nor given stays a <placeholder>, which validate reports until it is replaced.\n\nExamples:\n  mail-oauth-runbook init\n  mail-oauth-runbook init purchasing.yaml --company acme --project purchasing --env test --env production \\\n    --mailbox test:purchasing-test@acme.com:imap,smtp --mailbox production:purchasing@acme.com:imap,smtp\n  mail-oauth-runbook init - --no-input > contoso-hr.yaml',
    )
    .action(async (file: string, opts: import('../commands/init.ts').InitOptions) =>
      (await import('../commands/init.ts')).initCommand(file, opts, io),
    );

  program
    .command('schema')
    .description('print the manifest JSON Schema')
    .addHelpText('after', '\nExample:\n  mail-oauth-runbook schema > manifest.schema.json')
    .action(async () => (await import('../commands/schema.ts')).schemaCommand(io));

  program
    .command('templates')
    .description(
      'copy the bundled templates into a folder, to start a set of overrides for generate --templates (never overwrites)',
    )
    .option('-o, --out <dir>', 'where to copy them', 'templates')
    .addHelpText('after', '\nExample:\n  mail-oauth-runbook templates --out branding/templates')
    .action(async (opts: { out?: string }) => (await import('../commands/templates.ts')).templatesCommand(opts, io));

  program
    .command('generate')
    .description(
      'write, per environment, the runbook, portal checklist, Bizagi field sheet and Exchange PowerShell script',
    )
    .argument(
      '[manifest...]',
      'manifest files or quoted globs (default: every manifest under the current folder, as status finds them)',
    )
    .option('-o, --out <dir>', 'output folder (default: beside the manifest, named after it)')
    .option('-e, --env <name>', 'only this environment (repeatable)', collect)
    .option('--templates <dir>', 'folder whose templates override the bundled ones of the same name')
    .option('--check', 'write nothing; exit 1 if the files on disk differ from what would be generated')
    .option(
      '--config <file>',
      'settings file (default: the mail-oauth-runbook.config.yaml beside the manifest or above it)',
    )
    .option('--force', 'replace files in the output folder that generate did not write')
    .option(
      '--flavor <name>',
      'Markdown for github (default), azure-devops (wiki) or portable (CommonMark and tables only)',
    )
    .option('--html', 'also write <env>/handout.html: runbook, checklist and field sheet in one self-contained page')
    .option('--no-html', 'no handouts, even when the config file says html: true (those written before are removed)')
    .addHelpText(
      'after',
      '\nExamples:\n  mail-oauth-runbook generate runbooks/contoso-hr.yaml\n  mail-oauth-runbook generate runbooks/contoso-hr.yaml --env test --out /tmp/hr-docs\n  mail-oauth-runbook generate runbooks/contoso-hr.yaml --flavor azure-devops --html\n  mail-oauth-runbook generate --check runbooks/*.yaml',
    )
    .action(async (files: string[], opts: import('../commands/generate.ts').GenerateOptions) =>
      (await import('../commands/generate.ts')).generateCommand(files, opts, io),
    );

  program
    .command('status')
    .description("one view of every environment's client secret: expiry, days left, contacts; exit 1 at --fail-days")
    .argument('[manifest...]', 'manifest files (default: every mail-oauth-runbook manifest under the current folder)')
    .addOption(
      new Option('--warn-days <n>', 'days before expiry from which a secret is "expiring"').default('30', '30'),
    )
    .addOption(
      new Option(
        '--fail-days <n>',
        'exit 1 when a secret has this many days left or fewer (0: on or after its expiry date)',
      ).default('0', '0'),
    )
    .option('--json', 'print the environments as JSON')
    .option('--ics <file>', 'also write an iCalendar file: one all-day event per secret expiry, with reminders')
    .option('--docs-url <url>', 'base URL where the generated documents can be browsed, for links in the calendar')
    .option('--force', 'let --ics replace a file that status did not write')
    .option(
      '--config <file>',
      'settings file, for where the documents are (default: the mail-oauth-runbook.config.yaml beside each manifest or above it)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  mail-oauth-runbook status\n  mail-oauth-runbook status runbooks/*.yaml --fail-days 14 --ics secrets.ics',
    )
    .action(async (files: string[], opts: import('../commands/status.ts').StatusOptions) =>
      (await import('../commands/status.ts')).statusCommand(files, opts, io),
    );

  program
    .command('verify')
    .description(
      'prove the setup: request a token as Bizagi does, check its claims, log in to every mailbox over each protocol',
    )
    .argument('<manifest>', 'manifest file (YAML)')
    .option('-e, --env <name>', 'an environment to verify (repeatable)', (v: string, prev: string[] | undefined) =>
      collect(v, prev ?? []),
    )
    .option('--all', 'verify every environment of the manifest, one after another')
    .option('--secret-stdin', 'read the client secret Value from the first line of standard input')
    .option('--authority-host <url>', "sign-in host instead of the cloud's (a proxy, a test server)")
    .option('--token-only', 'check the token and its claims, skip the mailbox logins')
    .option('--imap <host:port>', "IMAP server instead of the cloud's (implicit TLS)")
    .option('--pop <host:port>', "POP server instead of the cloud's (implicit TLS)")
    .option('--smtp <host:port>', "SMTP server instead of the cloud's (STARTTLS)")
    .addOption(new Option('--concurrency <n>', 'logins at once').default('4', '4'))
    .addOption(
      new Option('--timeout <seconds>', 'wall-clock limit for the token request and for each login').default(
        '30',
        '30',
      ),
    )
    .option('--deadline <seconds>', 'wall-clock limit for the whole run (steps still waiting then fail)')
    .option('--json', 'print the result as JSON')
    .option(
      '--report <file.md>',
      'also write a Markdown verification record (no secret, no token), one section per environment',
    )
    .option(
      '--send-test-to <address>',
      'also send one labelled test message from each SMTP mailbox and each sendAs address to this address',
    )
    .option('--force', 'let --report replace a file that is not a record verify wrote')
    .option(
      '--proxy <url>',
      'HTTP proxy (CONNECT) for the token request and the logins (default: HTTPS_PROXY, minus NO_PROXY)',
    )
    .option('--trace', "print each login's protocol conversation on stderr (SASL responses and secrets never shown)")
    .option('--docs <dir>', 'where generate wrote the documents, for links to runbook steps (default: as generate)')
    .option(
      '--flavor <name>',
      "the Markdown flavour generate wrote them in, which decides the links to steps: github, azure-devops, portable (default: the config file's, else github)",
    )
    .option(
      '--config <file>',
      'settings file (default: the mail-oauth-runbook.config.yaml beside the manifest or above it)',
    )
    .addHelpText(
      'after',
      '\nThe secret Value comes from the variable named in app.secret.env, from --secret-stdin, or from a hidden prompt;\nnever from a command-line argument.\n\nExamples:\n  HR_TEST_MAIL_SECRET=… mail-oauth-runbook verify runbooks/contoso-hr.yaml --env test\n  mail-oauth-runbook verify runbooks/contoso-hr.yaml --all --report verification.md\n  mail-oauth-runbook verify runbooks/contoso-hr.yaml --env test --send-test-to it-support@contoso.com\n  vault read -field=value hr/test | mail-oauth-runbook verify runbooks/contoso-hr.yaml --env test --secret-stdin --report verification-test.md',
    )
    .action(async (file: string, opts: import('../commands/verify-settings.ts').VerifyOptions) =>
      (await import('../commands/verify.ts')).verifyCommand(file, opts, io),
    );

  return program;
}

/** Runs the CLI and returns the exit code; the one place where errors become exit codes. */
export async function run(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    // -v prints the version too (commander takes one short flag for it); only as the whole command line.
    const args = withoutDebugFlag(argv);
    await program.parseAsync(args.length === 1 && args[0] === '-v' ? ['--version'] : args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      if (wantsJson(argv))
        io.stdout.write(
          `${JSON.stringify({ error: { code: e.code.replace(/^commander\./, 'usage-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), message: e.message.replace(/^error: /, ''), fix: 'run with --help for usage' } }, null, 2)}\n`,
        );
      return 2;
    }
    if (e instanceof UsageError && wantsJson(argv))
      io.stdout.write(
        `${JSON.stringify({ error: { code: e.code, message: e.message, fix: e.fix ?? null } }, null, 2)}\n`,
      );
    return exitCodeFor(e, io, debugRequested(argv, io.env));
  }
}

/** A command line asking for JSON gets its usage errors as JSON too (on stdout, where a script reads it). */
const wantsJson = (argv: string[]): boolean =>
  argv.some((a, i) => a === '--json' || a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));
