# The routes of the simulated Microsoft Graph (v1.0 only): Invoke-SimService answers one request. Dot-sourced by
# Microsoft.Graph.Authentication.psm1; the resources are in sim-applications.ps1 and
# sim-principals.ps1.

function New-SimAnswer([int] $Status, $Body, [bool] $Changed) { @{ Status = $Status; Body = $Body; Changed = $Changed } }

function Get-SimEntity($Request, [string] $Context, $Item) {
    $out = [ordered]@{ '@odata.context' = "https://$($Request.Host)/v1.0/`$metadata#$Context/`$entity" }
    foreach ($k in (Select-SimProperties $Item $Request.Query).Keys) { $out[$k] = $Item[$k] }
    $out
}

# "applications", "applications(appId='…')" (GRAPH application-get: "You can address the application using either
# its id or appId"), likewise servicePrincipals (GRAPH serviceprincipal-get).
function Get-SimKey([string[]] $Segments, [string] $Collection) {
    if ($Segments[0] -match "^(?i)$Collection\(appId='((?:[^']|'')*)'\)$") { return @{ Key = $Matches[1].Replace("''", "'"); ByAppId = $true; Rest = @($Segments | Select-Object -Skip 1) } }
    if ($Segments[0] -ieq $Collection -and $Segments.Count -ge 2) { return @{ Key = $Segments[1]; ByAppId = $false; Rest = @($Segments | Select-Object -Skip 2) } }
    $null
}

# GET /applications, GET /servicePrincipals: the tenant's objects, filtered, paged.
function Get-SimFiltered($State, $Connection, $Request, [string] $Collection) {
    Assert-SimAccess $State $Connection 'read'
    $f = Get-SimFilter $Request.Query
    $items = @($State[$Collection] | Where-Object { -not $f -or $_[$f.Property] -eq $f.Value })
    New-SimAnswer 200 (Get-SimPage $State $Request $Collection $items) $false
}

function Stop-SimNoRoute([string] $Method, [string] $Path) {
    Stop-SimGraph 400 'BadRequest' "Resource not found for the segment '$Path' ($Method; not simulated)."
}

# Answers one request: $Connection from Connect-MgGraph, $Method (GET/POST/PATCH/DELETE), $Uri as the caller wrote it,
# $Json the request body as sent. Graph errors come back as answers with Status >= 400 and the error body.
function Invoke-SimService($Connection, [string] $Method, [string] $Uri, [string] $Json) {
    $sent = $Uri
    try {
        $request = Split-SimRequestUri $Connection $Uri
        $sent = $request.Sent
        $answer = Invoke-SimRoute $Connection $Method $request $Json
    } catch {
        $data = $_.Exception.Data
        if (-not $data.Contains('SimGraphStatus')) { throw }
        $when = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss', [cultureinfo]::InvariantCulture)
        $answer = New-SimAnswer ([int] $data['SimGraphStatus']) $null $false
        $answer.Code = $data['SimGraphCode']
        $answer.Message = $_.Exception.Message
        $answer.Date = $when
        $answer.ErrorJson = Get-SimErrorJson $answer.Status $answer.Code $answer.Message $when
    }
    $answer.Request = [ordered]@{ method = $Method; uri = $sent; status = $answer.Status }
    $answer
}

function Invoke-SimRoute($Connection, [string] $Method, $request, [string] $Json) {
    $state = Read-SimState
    $seg = @($request.Segments)
    if ($seg[0] -ne 'v1.0') { Stop-SimGraph 400 'BadRequest' "Invalid version: the simulated Microsoft Graph serves /v1.0 only (got '/$($seg[0])')." }
    $seg = @($seg | Select-Object -Skip 1)
    Test-SimQuery $request.Query
    $body = ConvertFrom-SimBody $Json
    $path = $seg -join '/'
    $write = $Method -ne 'GET'

    if ($seg.Count -eq 1 -and $seg[0] -ieq 'organization' -and $Method -eq 'GET') {
        Assert-SimAccess $state $Connection 'org.read'
        return New-SimAnswer 200 (Get-SimPage $state $request 'organization' @(Get-SimOrganization $state)) $false
    }
    if ($seg.Count -eq 2 -and $seg[0] -ieq 'policies' -and $Method -eq 'GET') {
        if ($seg[1] -ieq 'defaultAppManagementPolicy') {
            Assert-SimAccess $state $Connection 'policy.read'
            return New-SimAnswer 200 (Get-SimEntity $request 'policies/defaultAppManagementPolicy' (Get-SimAppManagementPolicy $state)) $false
        }
        if ($seg[1] -ieq 'identitySecurityDefaultsEnforcementPolicy') {
            Assert-SimAccess $state $Connection 'secdef.read'
            return New-SimAnswer 200 (Get-SimEntity $request 'policies/identitySecurityDefaultsEnforcementPolicy' (Get-SimSecurityDefaults $state)) $false
        }
    }

    # ---- applications
    if ($seg.Count -eq 1 -and $seg[0] -ieq 'applications') {
        if ($Method -eq 'GET') { return Get-SimFiltered $state $Connection $request 'applications' }
        if ($Method -eq 'POST') {
            Assert-SimAccess $state $Connection 'app.create'
            Invoke-SimWriteFault $state
            Assert-SimAppBody $body -Create
            $app = New-SimApplication $state $body
            $state.applications.Add($app)
            Save-SimState $state
            return New-SimAnswer 201 (Get-SimEntity $request 'applications' $app) $true
        }
    }
    $k = Get-SimKey $seg 'applications'
    if ($k) {
        Assert-SimAccess $state $Connection $(if ($write) { 'app.write' } else { 'read' })
        $app = Find-SimApplication $state $k.Key $k.ByAppId
        $rest = @($k.Rest)
        if ($rest.Count -eq 0 -and $Method -eq 'GET') { return New-SimAnswer 200 (Get-SimEntity $request 'applications' $app) $false }
        if ($rest.Count -eq 0 -and $Method -eq 'PATCH') {
            Invoke-SimWriteFault $state
            Assert-SimAppBody $body
            Set-SimAppProperties $app $body
            Save-SimState $state
            return New-SimAnswer 204 $null $true
        }
        if ($rest.Count -eq 0 -and $Method -eq 'DELETE') {
            Invoke-SimWriteFault $state
            # SILENT on the service principal: deleting an app registration removes its enterprise application
            # in the home tenant, with that one's app role assignments (assumed, as the portal shows).
            $null = $state.applications.Remove($app)
            foreach ($sp in @($state.servicePrincipals | Where-Object { $_.appId -eq $app.appId })) {
                $null = $state.servicePrincipals.Remove($sp)
                foreach ($a in @($state.appRoleAssignments | Where-Object { $_.principalId -eq $sp.id })) { $null = $state.appRoleAssignments.Remove($a) }
            }
            Save-SimState $state
            return New-SimAnswer 204 $null $true
        }
        if ($rest.Count -eq 1 -and $Method -eq 'POST' -and $rest[0] -ieq 'addPassword') {
            Invoke-SimWriteFault $state
            $answer = Add-SimPassword $state $app $body
            Save-SimState $state
            $out = [ordered]@{ '@odata.context' = "https://$($request.Host)/v1.0/`$metadata#microsoft.graph.passwordCredential" } + $answer
            return New-SimAnswer 200 $out $true
        }
        if ($rest.Count -eq 1 -and $Method -eq 'POST' -and $rest[0] -ieq 'removePassword') {
            Invoke-SimWriteFault $state
            Remove-SimPassword $app $body
            Save-SimState $state
            return New-SimAnswer 204 $null $true
        }
        Stop-SimNoRoute $Method $path
    }

    # ---- service principals
    if ($seg.Count -eq 1 -and $seg[0] -ieq 'servicePrincipals') {
        if ($Method -eq 'GET') { return Get-SimFiltered $state $Connection $request 'servicePrincipals' }
        if ($Method -eq 'POST') {
            Assert-SimAccess $state $Connection 'app.write'
            Invoke-SimWriteFault $state
            $sp = New-SimServicePrincipal $state $body
            $state.servicePrincipals.Add($sp)
            Save-SimState $state
            return New-SimAnswer 201 (Get-SimEntity $request 'servicePrincipals' $sp) $true
        }
    }
    $k = Get-SimKey $seg 'servicePrincipals'
    if ($k) {
        $rest = @($k.Rest)
        if ($rest.Count -ge 1 -and $rest[0] -ieq 'appRoleAssignments') {
            Assert-SimAccess $state $Connection $(if ($write) { 'ara.write' } else { 'ara.read' })
            $sp = Find-SimServicePrincipal $state $k.Key $k.ByAppId
            $mine = @($state.appRoleAssignments | Where-Object { $_.principalId -eq $sp.id })
            # SILENT for the simulation: $filter on app role assignments is not simulated, so it is refused.
            if ($request.Query.ContainsKey('$filter')) { Stop-SimGraph 400 'Request_UnsupportedQuery' 'The simulated Microsoft Graph does not filter app role assignments.' }
            if ($rest.Count -eq 1 -and $Method -eq 'GET') { return New-SimAnswer 200 (Get-SimPage $state $request "servicePrincipals('$($sp.id)')/appRoleAssignments" $mine) $false }
            if ($rest.Count -eq 1 -and $Method -eq 'POST') {
                Invoke-SimWriteFault $state
                $a = New-SimAssignment $state $Connection $sp $body
                $state.appRoleAssignments.Add($a)
                Save-SimState $state
                return New-SimAnswer 201 (Get-SimEntity $request "servicePrincipals('$($sp.id)')/appRoleAssignments" $a) $true
            }
            if ($rest.Count -eq 2) {
                $a = @($mine | Where-Object { $_.id -ceq $rest[1] })
                if ($a.Count -ne 1) { Stop-SimGraph 404 'Request_ResourceNotFound' "Resource '$($rest[1])' does not exist or one of its queried reference-property objects are not present." }
                if ($Method -eq 'GET') { return New-SimAnswer 200 (Get-SimEntity $request "servicePrincipals('$($sp.id)')/appRoleAssignments" $a[0]) $false }
                if ($Method -eq 'DELETE') {
                    Invoke-SimWriteFault $state
                    $null = $state.appRoleAssignments.Remove($a[0])
                    Save-SimState $state
                    return New-SimAnswer 204 $null $true
                }
            }
            Stop-SimNoRoute $Method $path
        }
        Assert-SimAccess $state $Connection $(if ($write) { 'app.write' } else { 'read' })
        $sp = Find-SimServicePrincipal $state $k.Key $k.ByAppId
        if ($rest.Count -eq 0 -and $Method -eq 'GET') { return New-SimAnswer 200 (Get-SimEntity $request 'servicePrincipals' $sp) $false }
        if ($rest.Count -eq 0 -and $Method -eq 'PATCH') {
            Invoke-SimWriteFault $state
            Assert-SimKeys $body @('accountEnabled', 'appRoleAssignmentRequired', 'tags', 'notes') 'servicePrincipal'
            foreach ($p in (Get-SimBodyKeys $body)) { $sp[$p] = $body[$p] }
            Save-SimState $state
            return New-SimAnswer 204 $null $true
        }
        if ($rest.Count -eq 0 -and $Method -eq 'DELETE') {
            Invoke-SimWriteFault $state
            $null = $state.servicePrincipals.Remove($sp)
            foreach ($a in @($state.appRoleAssignments | Where-Object { $_.principalId -eq $sp.id -or $_.resourceId -eq $sp.id })) { $null = $state.appRoleAssignments.Remove($a) }
            Save-SimState $state
            return New-SimAnswer 204 $null $true
        }
    }
    Stop-SimNoRoute $Method $path
}
