// The part of a simulated service that does not depend on the service: queue script runs against a state file, run
// them all in one pwsh process through a driver script (test/pwsh/run-*-jobs.ps1), read back exit codes, output
// records, end states and call logs. graph-sim.ts builds on it; exchange-sim.ts has its own copy of the same loop
// (it predates this file) and could extend PwshSimulation the same way.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeAsWindowsPowerShell, findPwsh, spawnPwsh, type OutputRecord, type ReadAs } from './exchange-sim.ts';

export type Parameters = Record<string, string | boolean | string[]>;

export interface SimRun<State, Entry extends { change: boolean }> {
  exitCode: number;
  records: OutputRecord[];
  /** Every record's text, one per line, in order. */
  output: string;
  warnings: string[];
  errors: string[];
  /** The state after this run. */
  state: State;
  /** Every simulated cmdlet call of this run, in order. */
  calls: Entry[];
  /** The calls that changed the state. */
  changes: Entry[];
  milliseconds: number;
}

interface Job {
  script: string;
  parameters: Parameters;
  state: string;
  log: string;
  snapshot: string;
  result: string;
  prelude?: string;
}

export interface SimFile {
  readonly file: string;
}

export interface SimulationSetup<State> {
  /** The driver script that runs a job file (test/pwsh/run-*-jobs.ps1). */
  driver: string;
  /** Environment variables naming the state file and the call log, for runFile. */
  stateVariable: string;
  logVariable: string;
  /** Prefix of the temporary folder. */
  prefix: string;
  /** Reads a state file as the simulation wrote it (lists of one, absent keys). */
  readState: (file: string) => State;
}

export class PwshSimulation<State, Entry extends { change: boolean }> {
  readonly dir: string;
  private jobs: Job[] = [];
  private count = 0;

  constructor(
    private readonly setup: SimulationSetup<State>,
    protected readonly pwsh = findPwsh(),
  ) {
    this.dir = mkdtempSync(join(tmpdir(), setup.prefix));
  }

  /** Writes a state file; runs given this file share it (each sees the changes of the runs before). */
  protected writeState(state: State): SimFile {
    const file = join(this.dir, `state-seed-${++this.count}.json`);
    writeFileSync(file, JSON.stringify(state, null, 2));
    return { file };
  }

  /**
   * Queues a run of the script file with the given parameters (a boolean is a switch: { WhatIf: true }). With
   * readAs 'windows-powershell-5.1' the file's bytes are decoded as 5.1 would and that text is what runs.
   * `prelude` is PowerShell dot-sourced first. Returns the run's index.
   */
  run(
    target: SimFile,
    scriptFile: string,
    parameters: Parameters = {},
    opts: { readAs?: ReadAs; prelude?: string } = {},
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
      state: target.file,
      prelude,
      log: join(this.dir, `log-${n}.jsonl`),
      snapshot: join(this.dir, `state-${n}.json`),
      result: join(this.dir, `result-${n}.json`),
    });
    return this.jobs.length - 1;
  }

  /** Runs every queued run in one pwsh process and returns their results in order. */
  async execute(timeoutMs = 120_000): Promise<SimRun<State, Entry>[]> {
    if (!this.pwsh) throw new Error('pwsh not found (set PWSH or put pwsh on PATH)');
    const jobs = this.jobs;
    this.jobs = [];
    for (const j of jobs) writeFileSync(j.log, '');
    const jobFile = join(this.dir, `jobs-${++this.count}.json`);
    writeFileSync(jobFile, JSON.stringify(jobs));
    const r = await spawnPwsh(
      this.pwsh,
      ['-NoProfile', '-NonInteractive', '-File', this.setup.driver, '-JobFile', jobFile],
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
      const calls = readLog<Entry>(j.log);
      return {
        exitCode: raw.exitCode,
        records,
        output: records.map((x) => x.text).join('\n'),
        warnings: records.filter((x) => x.stream === 'warning').map((x) => x.text),
        errors: records.filter((x) => x.stream === 'error').map((x) => x.text),
        state: this.setup.readState(j.snapshot),
        calls,
        changes: calls.filter((c) => c.change),
        milliseconds: raw.milliseconds,
      };
    });
  }

  /**
   * Runs the script as a user does, `pwsh -NoProfile -NonInteractive -File <script> <args>`, in its own process: the
   * exit code is pwsh's own. Slower than `run` (a process each); for the few tests where that fidelity matters.
   */
  async runFile(
    target: SimFile,
    scriptFile: string,
    parameters: Record<string, string | boolean> = {},
    timeoutMs = 120_000,
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string; state: State; calls: Entry[] }> {
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
      { [this.setup.stateVariable]: target.file, [this.setup.logVariable]: log },
    );
    return {
      exitCode: r.code,
      stdout: r.stdout,
      stderr: r.stderr,
      state: this.setup.readState(target.file),
      calls: readLog<Entry>(log),
    };
  }

  /** The current state of a state file. */
  state(target: SimFile): State {
    return this.setup.readState(target.file);
  }

  done(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readLog<Entry>(file: string): Entry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);
}
