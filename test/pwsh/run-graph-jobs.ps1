# Runs a list of script runs against the simulated Microsoft Graph in one pwsh process (pwsh start-up is slow, so the
# tests batch their scenarios). Driven by test/helpers/graph-sim.ts, which writes the job list and reads the results;
# the same design as run-jobs.ps1 for the simulated Exchange Online.
#
# Each job: { script, parameters, state, log, snapshot, result, prelude? }. For each, the tenant file and call log are
# set, both Graph modules are unloaded (so no connection survives from the job before, as in a new pwsh), the script
# runs with its parameters splatted, and every record of every stream is captured with its stream's name (an error
# with ErrorDetails as PowerShell shows it: the details' text). The exit code follows `pwsh -File`: the script's
# `exit N`, 1 when it ends with a terminating error, else 0.
param([Parameter(Mandatory)] [string] $JobFile)

$ErrorActionPreference = 'Stop'
$utf8 = [System.Text.UTF8Encoding]::new($false)
$jobs = [System.IO.File]::ReadAllText($JobFile, $utf8) | ConvertFrom-Json

function ConvertTo-JobRecord($Record) {
    switch ($Record) {
        { $_ -is [System.Management.Automation.ErrorRecord] } {
            $text = if ($_.ErrorDetails -and $_.ErrorDetails.Message) { $_.ErrorDetails.Message } else { $_.Exception.Message }
            return @{ stream = 'error'; text = $text }
        }
        { $_ -is [System.Management.Automation.WarningRecord] } { return @{ stream = 'warning'; text = $_.Message } }
        { $_ -is [System.Management.Automation.VerboseRecord] } { return @{ stream = 'verbose'; text = $_.Message } }
        { $_ -is [System.Management.Automation.DebugRecord] } { return @{ stream = 'debug'; text = $_.Message } }
        { $_ -is [System.Management.Automation.InformationRecord] } { return @{ stream = 'information'; text = [string] $_.MessageData } }
        default { return @{ stream = 'output'; text = ($_ | Out-String -Width 500).TrimEnd() } }
    }
}

foreach ($job in $jobs) {
    $env:GRAPH_SIM_STATE = $job.state
    $env:GRAPH_SIM_LOG = $job.log
    Remove-Module Microsoft.Graph.Applications, Microsoft.Graph.Authentication -Force -ErrorAction SilentlyContinue
    $parameters = @{}
    foreach ($p in $job.parameters.PSObject.Properties) { $parameters[$p.Name] = $p.Value }
    $records = [System.Collections.Generic.List[object]]::new()
    $global:LASTEXITCODE = 0
    $code = 0
    $started = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        if ($job.prelude) { . $job.prelude }
        # The script starts with PowerShell's default preferences, as under `pwsh -File`, not with this driver's Stop:
        # the simulated SDK cmdlets honour the caller's $ErrorActionPreference as compiled cmdlets do.
        & { $ErrorActionPreference = 'Continue'; & $job.script @parameters } *>&1 | ForEach-Object { $records.Add((ConvertTo-JobRecord $_)) }
        $code = [int] $global:LASTEXITCODE
    } catch {
        $records.Add((ConvertTo-JobRecord $_))
        $code = 1
    }
    Copy-Item -LiteralPath $job.state -Destination $job.snapshot -Force
    $result = [ordered]@{ exitCode = $code; records = @($records); milliseconds = $started.ElapsedMilliseconds }
    [System.IO.File]::WriteAllText($job.result, ($result | ConvertTo-Json -Depth 5), $utf8)
}
