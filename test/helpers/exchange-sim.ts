// Runs PowerShell scripts with real pwsh against the simulated Exchange Online in test/pwsh/ExchangeOnlineManagement
// (see the module's header for the tenant file and the behaviours it follows). Reusable by any test of a generated
// script: seed a tenant, queue runs, execute them all in one pwsh process, read back exit codes, output, end states
// and change logs.
//
//   const sim = new ExchangeSim();
//   const tenant = sim.tenant({ mailboxes: [mailbox('hr@contoso.com')] });
//   const first = sim.run(tenant, 'runbooks/contoso-hr/test/exchange-setup.ps1', { WhatIf: true });
//   const [r] = await sim.execute();        // r.exitCode, r.output, r.warnings, r.state, r.changes ...
//   sim.done();
//
// Runs are executed in the order queued; runs on the same tenant see each other's changes (run again, partial state).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { root } from './cli.ts';

export const simModulePath = join(root, 'test', 'pwsh');
const driver = join(root, 'test', 'pwsh', 'run-jobs.ps1');

// ---------------------------------------------------------------- finding pwsh

/** The pwsh to use: $PWSH, else `pwsh` on PATH; undefined when there is none. */
export function findPwsh(): string | undefined {
  const fromEnv = process.env.PWSH;
  if (fromEnv) return existsSync(fromEnv) ? resolve(fromEnv) : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'pwsh'))) return join(dir, 'pwsh');
  }
  return undefined;
}

// ---------------------------------------------------------------- tenant state

export interface ServicePrincipal {
  AppId: string;
  ObjectId: string;
  DisplayName: string;
}
export interface Mailbox {
  PrimarySmtpAddress: string;
  Alias?: string;
  DisplayName?: string;
  ImapEnabled: boolean;
  PopEnabled: boolean;
  /** null: the organization's setting applies (Set-CASMailbox reference). */
  SmtpClientAuthenticationDisabled: boolean | null;
}
export interface MailboxPermission {
  Identity: string;
  User: string;
  AccessRights: string[];
  IsInherited: boolean;
  Deny: boolean;
}
export interface RecipientPermission {
  Identity: string;
  Trustee: string;
  AccessRights: string[];
  AccessControlType: 'Allow' | 'Deny';
  IsInherited: boolean;
}
export interface Group {
  Name: string;
  PrimarySmtpAddress: string;
  DistinguishedName: string;
  Members: string[];
  /** The group's owners; an admin not among them needs -BypassSecurityGroupManagerCheck to add members. */
  ManagedBy?: string[];
}
export interface ManagementScope {
  Name: string;
  RecipientRestrictionFilter: string;
}
export interface RoleAssignment {
  Name: string;
  Role: string;
  App: string;
  CustomResourceScope: string;
}
export interface Fault {
  Cmdlet: string;
  Identity?: string;
  Message: string;
}

/** What Get-ConnectionInformation and Get-AcceptedDomain show; TenantID null: the property is absent. */
export interface Organization {
  TenantID?: string | null;
  AcceptedDomains?: string[];
  Admin?: string;
}

/** What the User / Trustee / RoleAssignee columns show for a service principal (no cmdlet page says). */
export type PrincipalColumn = 'ObjectId' | 'DisplayName';

export interface TenantState {
  servicePrincipals: ServicePrincipal[];
  mailboxes: Mailbox[];
  mailboxPermissions: MailboxPermission[];
  recipientPermissions: RecipientPermission[];
  groups: Group[];
  managementScopes: ManagementScope[];
  managementRoleAssignments: RoleAssignment[];
  faults: Fault[];
  organization: Organization;
  principalColumn: PrincipalColumn;
}

export const self = 'NT AUTHORITY\\SELF';

/** The entries every user mailbox has from the start (Get-MailboxPermission reference, DESCRIPTION). */
export function defaultPermissions(address: string): {
  mailboxPermissions: MailboxPermission[];
  recipientPermissions: RecipientPermission[];
} {
  return {
    mailboxPermissions: [
      {
        Identity: address,
        User: self,
        AccessRights: ['FullAccess', 'ReadPermission'],
        IsInherited: false,
        Deny: false,
      },
      { Identity: address, User: 'NT AUTHORITY\\SYSTEM', AccessRights: ['FullAccess'], IsInherited: true, Deny: false },
      {
        Identity: address,
        User: 'SIM\\Organization Management',
        AccessRights: ['FullAccess'],
        IsInherited: true,
        Deny: true,
      },
    ],
    recipientPermissions: [
      { Identity: address, Trustee: self, AccessRights: ['SendAs'], AccessControlType: 'Allow', IsInherited: false },
    ],
  };
}

export function mailbox(address: string, settings: Partial<Omit<Mailbox, 'PrimarySmtpAddress'>> = {}): Mailbox {
  return {
    PrimarySmtpAddress: address,
    ImapEnabled: true,
    PopEnabled: true,
    SmtpClientAuthenticationDisabled: null,
    ...settings,
  };
}

export function group(address: string, members: string[] = []): Group {
  const name = address.split('@')[0]!;
  return {
    Name: name,
    PrimarySmtpAddress: address,
    DistinguishedName: `CN=${name},OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=SIMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`,
    Members: members,
  };
}

export interface TenantSeed extends Partial<TenantState> {}

/** A whole tenant: the seed's lists, plus each mailbox's default SELF / inherited entries unless the seed gives its own. */
export function tenantState(seed: TenantSeed): TenantState {
  const mailboxes = seed.mailboxes ?? [];
  const defaults = mailboxes.map((m) => defaultPermissions(m.PrimarySmtpAddress));
  return {
    servicePrincipals: seed.servicePrincipals ?? [],
    mailboxes,
    mailboxPermissions: seed.mailboxPermissions ?? defaults.flatMap((d) => d.mailboxPermissions),
    recipientPermissions: seed.recipientPermissions ?? defaults.flatMap((d) => d.recipientPermissions),
    groups: seed.groups ?? [],
    managementScopes: seed.managementScopes ?? [],
    managementRoleAssignments: seed.managementRoleAssignments ?? [],
    faults: seed.faults ?? [],
    organization: seed.organization ?? {},
    principalColumn: seed.principalColumn ?? 'ObjectId',
  };
}

// ---------------------------------------------------------------- how the script file is read

/**
 * How PowerShell reads the script file. 'pwsh' runs the file as is (PowerShell 7 reads BOM-less files as UTF-8).
 * 'windows-powershell-5.1' decodes it as Windows PowerShell 5.1 does — UTF-8 only when the bytes start with a BOM,
 * else the ANSI code page (Windows-1252 here) — and runs that text (about_Character_Encoding).
 */
export type ReadAs = 'pwsh' | 'windows-powershell-5.1';

export function decodeAsWindowsPowerShell(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
  return decodeWindows1252(bytes);
}

// Windows-1252 differs from Latin-1 in 0x80-0x9F (where 0x91-0x92 are ‘ and ’, quotes to PowerShell). Decoded by
// hand: Node's TextDecoder('windows-1252') is Latin-1 in builds without full ICU. The five unassigned bytes map to
// the C1 control of the same number, as Windows' best-fit table does.
const cp1252High = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? cp1252High[b - 0x80]! : b);
  return out;
}

// ---------------------------------------------------------------- runs

export interface LogEntry {
  cmdlet: string;
  parameters: Record<string, unknown>;
  change: boolean;
}
export interface OutputRecord {
  stream: 'output' | 'error' | 'warning' | 'verbose' | 'debug' | 'information';
  text: string;
  /** Write-Host's -ForegroundColor, when one was given. */
  color?: string;
}

export interface RunResult {
  exitCode: number;
  records: OutputRecord[];
  /** Every record's text, one per line, in order. */
  output: string;
  warnings: string[];
  errors: string[];
  /** The tenant after this run. */
  state: TenantState;
  /** Every simulated cmdlet call of this run, in order. */
  calls: LogEntry[];
  /** The calls that changed the tenant. */
  changes: LogEntry[];
  milliseconds: number;
}

export type Parameters = Record<string, string | boolean | string[]>;

export interface Tenant {
  readonly file: string;
}

interface Job {
  script: string;
  parameters: Parameters;
  state: string;
  log: string;
  snapshot: string;
  result: string;
  prelude?: string;
  env?: Record<string, string>;
}

export class ExchangeSim {
  readonly dir = mkdtempSync(join(tmpdir(), 'mor-exo-'));
  private jobs: Job[] = [];
  private count = 0;

  constructor(private readonly pwsh = findPwsh()) {}

  /** Writes a tenant file; runs given this tenant share it (each sees the changes of the runs before). */
  tenant(seed: TenantSeed | TenantState = {}): Tenant {
    const file = join(this.dir, `tenant-${++this.count}.json`);
    writeFileSync(file, JSON.stringify(tenantState(seed), null, 2));
    return { file };
  }

  /**
   * Queues a run of the script file with the given parameters (a boolean is a switch: { WhatIf: true }). With
   * readAs 'windows-powershell-5.1' the file's bytes are decoded as 5.1 would and that text is what runs.
   * `prelude` is PowerShell dot-sourced first (e.g. to stand in for Install-Module); `env` sets environment variables
   * for this run only (an empty value removes one, e.g. { NO_COLOR: '' }). Returns the run's index.
   */
  run(
    tenant: Tenant,
    scriptFile: string,
    parameters: Parameters = {},
    opts: { readAs?: ReadAs; prelude?: string; env?: Record<string, string> } = {},
  ): number {
    const n = ++this.count;
    let script = resolve(scriptFile);
    if (opts.readAs === 'windows-powershell-5.1') {
      script = join(this.dir, `run-${n}.ps1`);
      // Written back with a BOM so that pwsh 7 reads exactly the text 5.1 would have seen.
      writeFileSync(script, `\ufeff${decodeAsWindowsPowerShell(readFileSync(scriptFile))}`);
    }
    let prelude: string | undefined;
    if (opts.prelude !== undefined) {
      prelude = join(this.dir, `prelude-${n}.ps1`);
      writeFileSync(prelude, `\ufeff${opts.prelude}`);
    }
    this.jobs.push({
      script,
      parameters,
      state: tenant.file,
      prelude,
      ...(opts.env ? { env: opts.env } : {}),
      log: join(this.dir, `log-${n}.jsonl`),
      snapshot: join(this.dir, `state-${n}.json`),
      result: join(this.dir, `result-${n}.json`),
    });
    return this.jobs.length - 1;
  }

  /** Runs every queued run in one pwsh process and returns their results in order. */
  async execute(timeoutMs = 120_000): Promise<RunResult[]> {
    if (!this.pwsh) throw new Error('pwsh not found (set PWSH or put pwsh on PATH)');
    const jobs = this.jobs;
    this.jobs = [];
    for (const j of jobs) writeFileSync(j.log, '');
    const jobFile = join(this.dir, `jobs-${++this.count}.json`);
    writeFileSync(jobFile, JSON.stringify(jobs));
    const r = await spawnPwsh(
      this.pwsh,
      ['-NoProfile', '-NonInteractive', '-File', driver, '-JobFile', jobFile],
      timeoutMs,
    );
    if (r.code !== 0) throw new Error(`pwsh driver failed (${r.code}): ${r.stderr}${r.stdout}`);
    return jobs.map((j) => {
      const raw = JSON.parse(readFileSync(j.result, 'utf8')) as {
        exitCode: number;
        records: OutputRecord[] | OutputRecord | null;
        milliseconds: number;
      };
      const records = raw.records === null ? [] : Array.isArray(raw.records) ? raw.records : [raw.records];
      const calls = readFileSync(j.log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogEntry);
      return {
        exitCode: raw.exitCode,
        records,
        output: records.map((x) => x.text).join('\n'),
        warnings: records.filter((x) => x.stream === 'warning').map((x) => x.text),
        errors: records.filter((x) => x.stream === 'error').map((x) => x.text),
        state: readState(j.snapshot),
        calls,
        changes: calls.filter((c) => c.change),
        milliseconds: raw.milliseconds,
      };
    });
  }

  /**
   * Runs the script as a user does, `pwsh -NoProfile -NonInteractive -File <script> <args>`, in its own process: the
   * exit code is pwsh's own. Slower than `run` (a process each); for the few tests where that fidelity matters.
   * Strings and switches only (`{ WhatIf: true, AppId: '…' }`).
   */
  async runFile(
    tenant: Tenant,
    scriptFile: string,
    parameters: Record<string, string | boolean> = {},
    timeoutMs = 120_000,
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string; state: TenantState; calls: LogEntry[] }> {
    if (!this.pwsh) throw new Error('pwsh not found (set PWSH or put pwsh on PATH)');
    const log = join(this.dir, `log-${++this.count}.jsonl`);
    writeFileSync(log, '');
    const args = Object.entries(parameters).flatMap(([k, v]) =>
      v === true ? [`-${k}`] : v === false ? [] : [`-${k}`, v],
    );
    const r = await spawnPwsh(
      this.pwsh,
      ['-NoProfile', '-NonInteractive', '-File', resolve(scriptFile), ...args],
      timeoutMs,
      { EXO_SIM_STATE: tenant.file, EXO_SIM_LOG: log },
    );
    const calls = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogEntry);
    return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr, state: readState(tenant.file), calls };
  }

  /** The tenant's current state. */
  state(tenant: Tenant): TenantState {
    return readState(tenant.file);
  }

  done(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The simulation writes lists of one as lists (ConvertTo-Json of a List), but a missing list reads back as []. */
function readState(file: string): TenantState {
  const s = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, '')) as Partial<TenantState>;
  return tenantState({
    ...s,
    mailboxPermissions: s.mailboxPermissions ?? [],
    recipientPermissions: s.recipientPermissions ?? [],
  });
}

/** pwsh with the simulation first on PSModulePath; every other environment variable passes through. */
export function spawnPwsh(
  pwsh: string,
  args: string[],
  timeoutMs: number,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(pwsh, args, {
      env: {
        ...process.env,
        PSModulePath: [simModulePath, process.env.PSModulePath].filter(Boolean).join(delimiter),
        POWERSHELL_TELEMETRY_OPTOUT: '1',
        POWERSHELL_UPDATECHECK: 'Off',
        DOTNET_CLI_TELEMETRY_OPTOUT: '1',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The pwsh version string, or undefined when pwsh cannot start. */
export function pwshVersion(pwsh: string): string | undefined {
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
