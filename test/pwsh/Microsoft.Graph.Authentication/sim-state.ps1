# The simulated tenant's state, the call log, identifiers and the Graph error object. Dot-sourced by
# Microsoft.Graph.Authentication.psm1; see that file's header for the state file's keys.

$script:utf8 = [System.Text.UTF8Encoding]::new($false)
$script:lists = 'applications', 'servicePrincipals', 'appRoleAssignments', 'faults', 'domains', 'roles'

function Read-SimState {
    if (-not $env:GRAPH_SIM_STATE) { throw 'GRAPH_SIM_STATE is not set: the simulated Microsoft Graph has no tenant file.' }
    # -DateKind String: dates stay the ISO 8601 strings Graph sends (pwsh would otherwise turn them into DateTime).
    $state = [System.IO.File]::ReadAllText($env:GRAPH_SIM_STATE, $script:utf8) | ConvertFrom-Json -AsHashtable -DateKind String
    foreach ($key in $script:lists) {
        $list = [System.Collections.Generic.List[object]]::new()
        if ($state.Contains($key) -and $null -ne $state[$key]) { foreach ($item in $state[$key]) { $list.Add($item) } }
        $state[$key] = $list
    }
    foreach ($key in 'writeCount', 'idCounter') { if (-not $state.Contains($key)) { $state[$key] = 0 } }
    if (-not $state.Contains('pageSize') -or -not $state.pageSize) { $state.pageSize = 100 }
    if (-not $state.Contains('environment') -or -not $state.environment) { $state.environment = 'Global' }
    $state
}

function Save-SimState($State) {
    [System.IO.File]::WriteAllText($env:GRAPH_SIM_STATE, ($State | ConvertTo-Json -Depth 20), $script:utf8)
}

# One JSON line per cmdlet call: its bound parameters as received, whether it changed the tenant, and the HTTP
# requests it made (method, path and query as Graph received them, status). Response bodies are never logged, so a
# secretText can never reach the log.
function Write-SimLog([string] $Cmdlet, $Parameters, [bool] $Change, $Requests) {
    if (-not $env:GRAPH_SIM_LOG) { return }
    $bound = [ordered]@{}
    foreach ($k in ($Parameters.Keys | Sort-Object)) {
        $v = $Parameters[$k]
        if ($v -is [System.Management.Automation.SwitchParameter]) { $v = $v.IsPresent }
        elseif ($v -is [uri]) { $v = $v.OriginalString }
        elseif ($v -is [System.Security.SecureString]) { $v = '(SecureString)' }
        $bound[$k] = $v
    }
    $line = [ordered]@{ cmdlet = $Cmdlet; parameters = $bound; change = $Change; requests = @($Requests) } | ConvertTo-Json -Depth 12 -Compress
    [System.IO.File]::AppendAllText($env:GRAPH_SIM_LOG, $line + "`n", $script:utf8)
}

# Deterministic identifiers, so that test output is stable: a counter kept in the state file.
function New-SimGuid($State) {
    $State.idCounter = [int] $State.idCounter + 1
    '5e500000-0000-4000-8000-{0:x12}' -f $State.idCounter
}

# appRoleAssignment ids are opaque 43-character base64url strings (serviceprincipal-post-approleassignments example).
function New-SimAssignmentId($State) {
    $State.idCounter = [int] $State.idCounter + 1
    ('SimAra{0:d6}' -f $State.idCounter).PadRight(43, 'A')
}

# application-addpassword: "secretText ... 16-64 characters in length", shown once; hint = its first 3 characters
# (the page's example). Current secrets are 40 characters with '8Q~' after the 3-character hint (seen in public
# scripts, not on a Microsoft page); a seeded Random keeps each run's secrets distinct and reproducible.
function New-SimSecret($State) {
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~'
    $random = [System.Random]::new(7919 * ([int] $State.idCounter + 1))
    $pick = { param($n) -join (1..$n | ForEach-Object { $alphabet[$random.Next($alphabet.Length)] }) }
    (& $pick 3) + '8Q~' + (& $pick 34)
}

function Get-SimNow($State) {
    if ($State.Contains('now') -and $State.now) { return [DateTimeOffset]::Parse($State.now, [cultureinfo]::InvariantCulture).ToUniversalTime() }
    [DateTimeOffset]::UtcNow
}

function Format-SimDate([DateTimeOffset] $Date) { $Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [cultureinfo]::InvariantCulture) }

function Test-SimGuid([string] $Value) { $Value -match '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$' }

# A Graph error (graph/errors: `{ "error": { "code", "message", "innerError" } }` with the HTTP status). Thrown by
# the service side and turned by each front end into the error its real cmdlet raises.
function Stop-SimGraph([int] $Status, [string] $Code, [string] $Message) {
    $e = [System.InvalidOperationException]::new($Message)
    $e.Data['SimGraphStatus'] = $Status
    $e.Data['SimGraphCode'] = $Code
    throw $e
}

$script:reasons = @{ 200 = 'OK'; 201 = 'Created'; 204 = 'No Content'; 400 = 'Bad Request'; 401 = 'Unauthorized'; 403 = 'Forbidden'; 404 = 'Not Found'; 409 = 'Conflict'; 429 = 'Too Many Requests'; 500 = 'Internal Server Error'; 503 = 'Service Unavailable' }
$script:statusNames = @{ 400 = 'BadRequest'; 401 = 'Unauthorized'; 403 = 'Forbidden'; 404 = 'NotFound'; 409 = 'Conflict'; 429 = 'TooManyRequests'; 500 = 'InternalServerError'; 503 = 'ServiceUnavailable' }

function Get-SimErrorJson([int] $Status, [string] $Code, [string] $Message, [string] $Date) {
    [ordered]@{ error = [ordered]@{ code = $Code; message = $Message; innerError = [ordered]@{ date = $Date; 'request-id' = '5e500000-0000-4000-8000-00000000feed'; 'client-request-id' = '5e500000-0000-4000-8000-00000000c0de' } } } | ConvertTo-Json -Depth 5 -Compress
}
