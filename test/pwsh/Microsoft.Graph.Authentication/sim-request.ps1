# How the simulated Microsoft Graph reads a request as the SDK sends it (URI as written by the caller, JSON body
# text): host and path, query options, $filter, paging, body property names. The service's routes are in
# sim-router.ps1 (Invoke-SimService, used by both front ends: Invoke-MgGraphRequest and the
# Microsoft.Graph.Applications cmdlets), its resources in sim-applications.ps1 and sim-principals.ps1.
#
# Pages cited: GRAPH <page> = https://learn.microsoft.com/graph/api/<page> (source: github.com/microsoftgraph/
# microsoft-graph-docs-contrib, api-reference/v1.0/api/<page>.md). "SILENT" marks what the pages do not say; there
# the simulation is strict (it refuses what real Graph might accept), so a script that passes here relies on nothing
# undocumented.

$script:graphHosts = @{ Global = 'graph.microsoft.com'; USGov = 'graph.microsoft.us'; USGovDoD = 'dod-graph.microsoft.us'; China = 'microsoftgraph.chinacloudapi.cn' }
$script:audiences = 'AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'
$script:graphAppId = '00000003-0000-0000-c000-000000000000'
$script:policyId = '00000000-0000-0000-0000-000000000000'

# Invoke-MgGraphRequest -Uri: "segments such as /beta/me or fully qualified https://graph.microsoft.com/beta/me"; a
# relative URI is resolved against the environment's Graph host (InvokeMgGraphRequest.cs, PrepareUri). What follows
# '#' is a fragment and never reaches the server, and '+' in a query reads as a space: hence the facts file's rule
# that a hand-built $filter is URL-encoded.
function Split-SimRequestUri($Connection, [string] $Uri) {
    $hash = $Uri.IndexOf('#')
    if ($hash -ge 0) { $Uri = $Uri.Substring(0, $hash) }
    $graphHost = $script:graphHosts[$Connection.Environment]
    if ($Uri -match '^(?i)https?://([^/?]+)(.*)$') {
        # SILENT on a URI for another cloud's Graph host: the token's audience is the environment's host, so the
        # call is refused as Graph refuses a token for another audience.
        if ($Matches[1] -ne $graphHost) { Stop-SimGraph 401 'InvalidAuthenticationToken' 'Access token validation failure. Invalid audience.' }
        $Uri = $Matches[2]
    }
    if (-not $Uri.StartsWith('/')) { $Uri = '/' + $Uri }
    $q = $Uri.IndexOf('?')
    $path = if ($q -ge 0) { $Uri.Substring(0, $q) } else { $Uri }
    $queryText = if ($q -ge 0) { $Uri.Substring($q + 1) } else { '' }
    $query = @{}
    foreach ($pair in ($queryText -split '&' | Where-Object { $_ })) {
        $eq = $pair.IndexOf('=')
        $k = if ($eq -ge 0) { $pair.Substring(0, $eq) } else { $pair }
        $v = if ($eq -ge 0) { $pair.Substring($eq + 1) } else { '' }
        $query[[uri]::UnescapeDataString($k.Replace('+', ' '))] = [uri]::UnescapeDataString($v.Replace('+', ' '))
    }
    $segments = @($path.TrimStart('/').Split('/') | ForEach-Object { [uri]::UnescapeDataString($_) })
    @{ Host = $graphHost; Sent = $Uri; Segments = $segments; Query = $query }
}

# GRAPH application-list / serviceprincipal-list support $filter with eq on displayName and appId (and much more).
# The simulation knows `<displayName|appId> eq '<value>'` with a quote inside the value doubled (OData string
# literals); anything else is refused as unsupported, a malformed clause as invalid.
function Get-SimFilter([hashtable] $Query) {
    if (-not $Query.ContainsKey('$filter')) { return $null }
    $f = $Query['$filter']
    if ($f -match "^\s*(displayName|appId)\s+eq\s+'((?:[^']|'')*)'\s*$") { return @{ Property = $Matches[1]; Value = $Matches[2].Replace("''", "'") } }
    if ($f -match "^\s*\w+\s+eq\s+'((?:[^']|'')*)'\s*$") { Stop-SimGraph 400 'Request_UnsupportedQuery' "Unsupported or invalid query filter clause specified (the simulation filters on displayName and appId only): $f" }
    Stop-SimGraph 400 'BadRequest' "Invalid filter clause: $f"
}

function Test-SimQuery([hashtable] $Query) {
    foreach ($k in $Query.Keys) {
        if ('$filter', '$top', '$skiptoken', '$select' -notcontains $k) { Stop-SimGraph 400 'BadRequest' "Query option '$k' is not supported by the simulated Microsoft Graph." }
    }
}

# Paging (graph/paging): a page of at most $top (else the tenant's page size, 100 by default for directory objects)
# with @odata.nextLink, an absolute URL with an opaque $skiptoken, while more remain.
function Get-SimPage($State, $Request, [string] $Context, $Items) {
    $size = [int] $State.pageSize
    if ($Request.Query.ContainsKey('$top')) {
        $size = 0
        if (-not [int]::TryParse($Request.Query['$top'], [ref] $size) -or $size -lt 1 -or $size -gt 999) { Stop-SimGraph 400 'BadRequest' "Invalid page size specified: '$($Request.Query['$top'])'. Must be between 1 and 999 inclusive." }
    }
    $offset = 0
    if ($Request.Query.ContainsKey('$skiptoken')) {
        if ($Request.Query['$skiptoken'] -notmatch '^SimPage(\d+)$') { Stop-SimGraph 400 'Directory_InvalidSkipToken' 'The skip token is invalid.' }
        $offset = [int] $Matches[1]
    }
    $all = @($Items)
    $page = @($all | Select-Object -Skip $offset -First $size | ForEach-Object { Select-SimProperties $_ $Request.Query })
    $body = [ordered]@{ '@odata.context' = "https://$($Request.Host)/v1.0/`$metadata#$Context"; value = $page }
    if ($offset + $size -lt $all.Count) {
        $kept = @($Request.Sent.Split('?', 2)[1] -split '&' | Where-Object { $_ -and $_ -notmatch '^\$skiptoken=' })
        $body['@odata.nextLink'] = "https://$($Request.Host)$($Request.Sent.Split('?', 2)[0])?" + ((@($kept) + "`$skiptoken=SimPage$($offset + $size)") -join '&')
    }
    $body
}

# $select (graph/query-parameters): only the named properties, plus id.
function Select-SimProperties($Item, [hashtable] $Query) {
    if (-not $Query.ContainsKey('$select')) { return $Item }
    $names = @($Query['$select'] -split ',' | ForEach-Object { $_.Trim() })
    $out = [ordered]@{}
    foreach ($k in $Item.Keys) { if ($k -eq 'id' -or $names -contains $k) { $out[$k] = $Item[$k] } }
    $out
}

function ConvertFrom-SimBody([string] $Json) {
    if ([string]::IsNullOrWhiteSpace($Json)) { return $null }
    try { $parsed = $Json | ConvertFrom-Json -AsHashtable -DateKind String -ErrorAction Stop }
    catch { Stop-SimGraph 400 'BadRequest' 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.' }
    if ($parsed -isnot [System.Collections.IDictionary]) { Stop-SimGraph 400 'BadRequest' 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.' }
    $parsed
}

function Get-SimBodyKeys($Body) { if ($null -eq $Body) { @() } else { @($Body.Keys) } }

# SILENT on property names in other case: the facts file (section 8) says body keys are sent as written and Graph's
# names are camelCase; the simulation accepts the exact names only.
function Assert-SimKeys($Body, [string[]] $Allowed, [string] $Type) {
    foreach ($k in (Get-SimBodyKeys $Body)) {
        if ($Allowed -cnotcontains $k) { Stop-SimGraph 400 'Request_BadRequest' "Property '$k' does not exist on type 'microsoft.graph.$Type' (simulation: exact camelCase names only)." }
    }
}

function Get-SimList($Value) { if ($null -eq $Value) { , @() } else { , @($Value) } }
