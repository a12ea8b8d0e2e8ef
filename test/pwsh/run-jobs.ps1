# Runs a list of script runs against the simulated Exchange Online in one pwsh process (pwsh start-up is slow, so the
# tests batch their scenarios). Driven by test/helpers/exchange-sim.ts, which writes the job list and reads the results.
#
# Each job: { script, parameters, state, log, snapshot, result, prelude?, env? }; env sets (or, with an empty value,
# removes) environment variables for that job only. For each, the tenant file and change log are set,
# the module is unloaded (so no connection or other module state survives from the job before), the script runs with
# its parameters splatted, and every record of every stream is captured with its stream's name. The exit code follows
# `pwsh -File`: the script's `exit N`, 1 when it ends with a terminating error, else 0.
param([Parameter(Mandatory)] [string] $JobFile)

$ErrorActionPreference = 'Stop'
$jobs = [System.IO.File]::ReadAllText($JobFile, [System.Text.UTF8Encoding]::new($false)) | ConvertFrom-Json
$utf8 = [System.Text.UTF8Encoding]::new($false)

function ConvertTo-JobRecord($Record) {
    switch ($Record) {
        { $_ -is [System.Management.Automation.ErrorRecord] } { return @{ stream = 'error'; text = $_.Exception.Message } }
        { $_ -is [System.Management.Automation.WarningRecord] } { return @{ stream = 'warning'; text = $_.Message } }
        { $_ -is [System.Management.Automation.VerboseRecord] } { return @{ stream = 'verbose'; text = $_.Message } }
        { $_ -is [System.Management.Automation.DebugRecord] } { return @{ stream = 'debug'; text = $_.Message } }
        { $_ -is [System.Management.Automation.InformationRecord] } {
            $record = @{ stream = 'information'; text = [string] $_.MessageData }
            # Write-Host -ForegroundColor: the colour travels with the message (HostInformationMessage; -1 when none was given).
            if ($_.MessageData -is [System.Management.Automation.HostInformationMessage] -and [int] $_.MessageData.ForegroundColor -ge 0) { $record.color = [string] $_.MessageData.ForegroundColor }
            return $record
        }
        default { return @{ stream = 'output'; text = ($_ | Out-String -Width 500).TrimEnd() } }
    }
}

foreach ($job in $jobs) {
    $saved = @{}
    if ($job.PSObject.Properties['env'] -and $job.env) {
        foreach ($p in $job.env.PSObject.Properties) {
            $saved[$p.Name] = [Environment]::GetEnvironmentVariable($p.Name)
            [Environment]::SetEnvironmentVariable($p.Name, $(if ($p.Value) { [string] $p.Value } else { $null }))
        }
    }
    $env:EXO_SIM_STATE = $job.state
    $env:EXO_SIM_LOG = $job.log
    Remove-Module ExchangeOnlineManagement -Force -ErrorAction SilentlyContinue
    $parameters = @{}
    foreach ($p in $job.parameters.PSObject.Properties) { $parameters[$p.Name] = $p.Value }
    $records = [System.Collections.Generic.List[object]]::new()
    $global:LASTEXITCODE = 0
    $code = 0
    $started = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        if ($job.prelude) { . $job.prelude }
        & $job.script @parameters *>&1 | ForEach-Object { $records.Add((ConvertTo-JobRecord $_)) }
        $code = [int] $global:LASTEXITCODE
    } catch {
        $records.Add((ConvertTo-JobRecord $_))
        $code = 1
    }
    foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    Copy-Item -LiteralPath $job.state -Destination $job.snapshot -Force
    $result = [ordered]@{ exitCode = $code; records = @($records); milliseconds = $started.ElapsedMilliseconds }
    [System.IO.File]::WriteAllText($job.result, ($result | ConvertTo-Json -Depth 5), $utf8)
}
