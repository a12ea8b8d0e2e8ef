# A simulated Microsoft.Graph.Applications for tests: the cmdlets entra-setup.ps1 may use, sending their requests
# through the simulated Microsoft.Graph.Authentication (beside this folder; see its header for the state file, the
# log and the sources). Never talks to a network.
#
# SDK <Cmdlet> = https://learn.microsoft.com/powershell/module/microsoft.graph.applications/<cmdlet>. What every
# generated cmdlet of the SDK does, and so every cmdlet here:
# - New-/Update-/Remove-/Add- cmdlets SupportsShouldProcess (ConfirmImpact Medium): -WhatIf sends nothing.
# - They are compiled cmdlets, so they honour the calling script's $WhatIfPreference, $ConfirmPreference and
#   $ErrorActionPreference (a script run with -WhatIf passes it on). Script-module functions do not inherit those
#   across a module boundary, so each cmdlet here imports them from its caller first (Import-SimCallerPreference).
# - A Graph error is a non-terminating error (facts file, section 8) unless -ErrorAction Stop; before
#   Connect-MgGraph, a terminating one.
# - -Filter, ids and bodies are encoded by the SDK: a caller writes the OData filter plainly ("displayName eq 'A''B'").
# - Without -All a list is its first page (the tenant's page size); -All follows @odata.nextLink; -Top N asks for N.

# Version 1: no uninitialized variables; hashtables from JSON are read with .key for keys that may be absent.
Set-StrictMode -Version 1

function Import-SimCallerPreference($Cmdlet) {
    $bound = $Cmdlet.MyInvocation.BoundParameters
    foreach ($p in @{ WhatIfPreference = 'WhatIf'; ConfirmPreference = 'Confirm'; ErrorActionPreference = 'ErrorAction' }.GetEnumerator()) {
        if ($bound.ContainsKey($p.Value)) { continue }
        Set-Variable -Scope 1 -Name $p.Key -Value $Cmdlet.SessionState.PSVariable.GetValue($p.Key) -WhatIf:$false -Confirm:$false
    }
}

function Invoke-SimAuth([scriptblock] $Block, [object[]] $Arguments) {
    & (Get-Module Microsoft.Graph.Authentication) $Block @Arguments
}

# Sends the request, writes the Graph error (in the calling cmdlet's scope, so its -ErrorAction applies) or the
# objects the real cmdlet returns.
$script:lastOk = $false
function Invoke-SimCmdlet($Cmdlet, [string] $Variant, [string] $Method, [string] $Uri, $Body, [string] $Type, [bool] $All = $false) {
    $r = Invoke-SimAuth { param($c, $n, $m, $u, $b, $a) Invoke-SimSdkRequest $c $n $m $u $b $a } @($Cmdlet, $Variant, $Method, $Uri, $Body, $All)
    # -PassThru writes $true only for a call that succeeded ($Error is no guide: -ErrorAction Ignore skips it).
    $script:lastOk = -not $r.Error
    if ($r.Error) { $Cmdlet.WriteError($r.Error); return }
    if ($null -eq $r.Body) { return }
    $items = if ($r.Body.Contains('value')) { @($r.Body.value) } else { @($r.Body) }
    foreach ($i in $items) { Invoke-SimAuth { param($v, $t) ConvertTo-SimSdkObject $v $t } @($i, $Type) }
}

# The body of a New-/Update- cmdlet: -BodyParameter (a hashtable of the model), then each named parameter given,
# under its Graph (camelCase) name.
function New-SimBody($Bound, [string[]] $Names) {
    $body = [ordered]@{}
    if ($Bound.ContainsKey('BodyParameter')) { $body = Invoke-SimAuth { param($v) ConvertTo-SimModel $v } @(, $Bound.BodyParameter) }
    foreach ($n in $Names) {
        if ($Bound.ContainsKey($n)) { $body[$n.Substring(0, 1).ToLowerInvariant() + $n.Substring(1)] = Invoke-SimAuth { param($v) ConvertTo-SimModel $v } @(, $Bound[$n]) }
    }
    $body
}

function Get-SimQuery([hashtable] $Pairs) {
    $q = @(foreach ($p in $Pairs.GetEnumerator() | Sort-Object Key) { if ($null -ne $p.Value -and '' -ne $p.Value) { "$($p.Key)=$([uri]::EscapeDataString([string] $p.Value))" } })
    if ($q.Count) { '?' + ($q -join '&') } else { '' }
}

function Get-SimSegment([string] $Id) { [uri]::EscapeDataString($Id) }

# Logs a write the caller's -WhatIf (or a declined -Confirm) stopped: nothing was sent.
function Write-SimNotSent($Cmdlet) {
    Invoke-SimAuth { param($c) Write-SimLog $c.MyInvocation.MyCommand.Name $c.MyInvocation.BoundParameters $false @() } @($Cmdlet)
}

# The AutoRest ShouldProcess text: Performing the operation "<Variant>" on target "Call remote '<Variant>' operation".
function Test-SimShouldProcess($Cmdlet, [string] $Variant) {
    if ($Cmdlet.ShouldProcess("Call remote '$Variant' operation", $Variant)) { return $true }
    Write-SimNotSent $Cmdlet
    $false
}

# A Get- cmdlet's request: its -Property ($select), -Filter, -Top and -All as bound; the variant name the SDK
# reports is the cmdlet's and its parameter set's (Get-MgApplication_List).
function Read-SimObjects($Cmdlet, [string] $Path, [string] $Type) {
    $b = $Cmdlet.MyInvocation.BoundParameters
    $q = @{}
    if ($b.ContainsKey('Property')) { $q['$select'] = $b.Property -join ',' }
    if ($b.ContainsKey('Filter')) { $q['$filter'] = $b.Filter }
    if ($b.ContainsKey('Top')) { $q['$top'] = $b.Top }
    Invoke-SimCmdlet $Cmdlet "$($Cmdlet.MyInvocation.MyCommand.Name)_$($Cmdlet.ParameterSetName)" GET "$Path$(Get-SimQuery $q)" $null $Type ([bool] $b['All'])
}

$script:appProperties = 'DisplayName', 'SignInAudience', 'RequiredResourceAccess', 'Web', 'IdentifierUris', 'Tags', 'Description', 'Notes', 'PasswordCredentials'

# ---------------------------------------------------------------- applications

# SDK Get-MgApplication: -ApplicationId (Get), or a list with -Filter, -Top, -All, -Property ($select).
function Get-MgApplication {
    [CmdletBinding(DefaultParameterSetName = 'List')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Get')] [string] $ApplicationId,
        [Parameter(ParameterSetName = 'List')] [string] $Filter,
        [Parameter(ParameterSetName = 'List')] [int] $Top,
        [Parameter(ParameterSetName = 'List')] [switch] $All,
        [Alias('Select')] [string[]] $Property
    )
    Import-SimCallerPreference $PSCmdlet
    $path = if ($PSCmdlet.ParameterSetName -eq 'Get') { "/v1.0/applications/$(Get-SimSegment $ApplicationId)" } else { '/v1.0/applications' }
    Read-SimObjects $PSCmdlet $path 'MicrosoftGraphApplication'
}

# SDK Get-MgApplicationByAppId: GET /applications(appId='{appId}').
function Get-MgApplicationByAppId {
    [CmdletBinding(DefaultParameterSetName = 'Get')]
    param([Parameter(Mandatory)] [string] $AppId, [Alias('Select')] [string[]] $Property)
    Import-SimCallerPreference $PSCmdlet
    Read-SimObjects $PSCmdlet "/v1.0/applications(appId='$(Get-SimSegment $AppId.Replace("'", "''"))')" 'MicrosoftGraphApplication'
}

# SDK New-MgApplication: -DisplayName, -SignInAudience, -RequiredResourceAccess, -Web, ... or -BodyParameter; returns
# the new application (GRAPH application-post-applications).
function New-MgApplication {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [string] $DisplayName, [string] $SignInAudience, [object[]] $RequiredResourceAccess, [object] $Web,
        [string[]] $IdentifierUris, [string[]] $Tags, [string] $Description, [string] $Notes, [object[]] $PasswordCredentials,
        [object] $BodyParameter
    )
    Import-SimCallerPreference $PSCmdlet
    $body = New-SimBody $PSBoundParameters $script:appProperties
    if (-not (Test-SimShouldProcess $PSCmdlet 'New-MgApplication_CreateExpanded')) { return }
    Invoke-SimCmdlet $PSCmdlet 'New-MgApplication_CreateExpanded' POST '/v1.0/applications' $body 'MicrosoftGraphApplication'
}

# SDK Update-MgApplication: PATCH (GRAPH application-update, 204): no output; -PassThru writes $true.
function Update-MgApplication {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] [string] $ApplicationId,
        [string] $DisplayName, [string] $SignInAudience, [object[]] $RequiredResourceAccess, [object] $Web,
        [string[]] $IdentifierUris, [string[]] $Tags, [string] $Description, [string] $Notes, [object[]] $PasswordCredentials,
        [object] $BodyParameter, [switch] $PassThru
    )
    Import-SimCallerPreference $PSCmdlet
    $body = New-SimBody $PSBoundParameters $script:appProperties
    if (-not (Test-SimShouldProcess $PSCmdlet 'Update-MgApplication_UpdateExpanded')) { return }
    Invoke-SimCmdlet $PSCmdlet 'Update-MgApplication_UpdateExpanded' PATCH "/v1.0/applications/$(Get-SimSegment $ApplicationId)" $body ''
    if ($PassThru -and $script:lastOk) { $true }
}

# SDK Remove-MgApplication: DELETE (GRAPH application-delete, 204); -PassThru writes $true.
function Remove-MgApplication {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] [string] $ApplicationId, [switch] $PassThru)
    Import-SimCallerPreference $PSCmdlet
    if (-not (Test-SimShouldProcess $PSCmdlet 'Remove-MgApplication_Delete')) { return }
    Invoke-SimCmdlet $PSCmdlet 'Remove-MgApplication_Delete' DELETE "/v1.0/applications/$(Get-SimSegment $ApplicationId)" $null ''
    if ($PassThru -and $script:lastOk) { $true }
}

# SDK Add-MgApplicationPassword: -ApplicationId, -PasswordCredential @{ displayName; endDateTime } (or -BodyParameter
# @{ passwordCredential = ... }); returns the passwordCredential with SecretText, the only time it is ever returned
# (GRAPH application-addpassword).
function Add-MgApplicationPassword {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] [string] $ApplicationId, [object] $PasswordCredential, [object] $BodyParameter)
    Import-SimCallerPreference $PSCmdlet
    $body = New-SimBody $PSBoundParameters @('PasswordCredential')
    if (-not (Test-SimShouldProcess $PSCmdlet 'Add-MgApplicationPassword_AddExpanded')) { return }
    Invoke-SimCmdlet $PSCmdlet 'Add-MgApplicationPassword_AddExpanded' POST "/v1.0/applications/$(Get-SimSegment $ApplicationId)/addPassword" $body 'MicrosoftGraphPasswordCredential'
}

# SDK Remove-MgApplicationPassword: -ApplicationId, -KeyId (GRAPH application-removepassword, 204); -PassThru.
function Remove-MgApplicationPassword {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] [string] $ApplicationId, [string] $KeyId, [object] $BodyParameter, [switch] $PassThru)
    Import-SimCallerPreference $PSCmdlet
    $body = New-SimBody $PSBoundParameters @('KeyId')
    if (-not (Test-SimShouldProcess $PSCmdlet 'Remove-MgApplicationPassword_RemoveExpanded')) { return }
    Invoke-SimCmdlet $PSCmdlet 'Remove-MgApplicationPassword_RemoveExpanded' POST "/v1.0/applications/$(Get-SimSegment $ApplicationId)/removePassword" $body ''
    if ($PassThru -and $script:lastOk) { $true }
}

# ---------------------------------------------------------------- service principals

# SDK Get-MgServicePrincipal: -ServicePrincipalId (Get), or a list with -Filter "appId eq '…'", -Top, -All, -Property.
function Get-MgServicePrincipal {
    [CmdletBinding(DefaultParameterSetName = 'List')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Get')] [string] $ServicePrincipalId,
        [Parameter(ParameterSetName = 'List')] [string] $Filter,
        [Parameter(ParameterSetName = 'List')] [int] $Top,
        [Parameter(ParameterSetName = 'List')] [switch] $All,
        [Alias('Select')] [string[]] $Property
    )
    Import-SimCallerPreference $PSCmdlet
    $path = if ($PSCmdlet.ParameterSetName -eq 'Get') { "/v1.0/servicePrincipals/$(Get-SimSegment $ServicePrincipalId)" } else { '/v1.0/servicePrincipals' }
    Read-SimObjects $PSCmdlet $path 'MicrosoftGraphServicePrincipal'
}

# SDK Get-MgServicePrincipalByAppId: GET /servicePrincipals(appId='{appId}').
function Get-MgServicePrincipalByAppId {
    [CmdletBinding(DefaultParameterSetName = 'Get')]
    param([Parameter(Mandatory)] [string] $AppId, [Alias('Select')] [string[]] $Property)
    Import-SimCallerPreference $PSCmdlet
    Read-SimObjects $PSCmdlet "/v1.0/servicePrincipals(appId='$(Get-SimSegment $AppId.Replace("'", "''"))')" 'MicrosoftGraphServicePrincipal'
}

# SDK New-MgServicePrincipal: -AppId (GRAPH serviceprincipal-post-serviceprincipals).
function New-MgServicePrincipal {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([string] $AppId, [bool] $AccountEnabled, [bool] $AppRoleAssignmentRequired, [string[]] $Tags, [string] $Notes, [object] $BodyParameter)
    Import-SimCallerPreference $PSCmdlet
    $body = New-SimBody $PSBoundParameters @('AppId', 'AccountEnabled', 'AppRoleAssignmentRequired', 'Tags', 'Notes')
    if (-not (Test-SimShouldProcess $PSCmdlet 'New-MgServicePrincipal_CreateExpanded')) { return }
    Invoke-SimCmdlet $PSCmdlet 'New-MgServicePrincipal_CreateExpanded' POST '/v1.0/servicePrincipals' $body 'MicrosoftGraphServicePrincipal'
}

# SDK Remove-MgServicePrincipal: DELETE (GRAPH serviceprincipal-delete, 204).
function Remove-MgServicePrincipal {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] [string] $ServicePrincipalId, [switch] $PassThru)
    Import-SimCallerPreference $PSCmdlet
    if (-not (Test-SimShouldProcess $PSCmdlet 'Remove-MgServicePrincipal_Delete')) { return }
    Invoke-SimCmdlet $PSCmdlet 'Remove-MgServicePrincipal_Delete' DELETE "/v1.0/servicePrincipals/$(Get-SimSegment $ServicePrincipalId)" $null ''
    if ($PassThru -and $script:lastOk) { $true }
}

# ---------------------------------------------------------------- app role assignments (admin consent)

# SDK Get-MgServicePrincipalAppRoleAssignment: -ServicePrincipalId, -AppRoleAssignmentId (Get), -Top, -All
# (GRAPH serviceprincipal-list-approleassignments, paged).
function Get-MgServicePrincipalAppRoleAssignment {
    [CmdletBinding(DefaultParameterSetName = 'List')]
    param(
        [Parameter(Mandatory)] [string] $ServicePrincipalId,
        [Parameter(Mandatory, ParameterSetName = 'Get')] [string] $AppRoleAssignmentId,
        [Parameter(ParameterSetName = 'List')] [int] $Top,
        [Parameter(ParameterSetName = 'List')] [switch] $All
    )
    Import-SimCallerPreference $PSCmdlet
    $base = "/v1.0/servicePrincipals/$(Get-SimSegment $ServicePrincipalId)/appRoleAssignments"
    $path = if ($PSCmdlet.ParameterSetName -eq 'Get') { "$base/$(Get-SimSegment $AppRoleAssignmentId)" } else { $base }
    Read-SimObjects $PSCmdlet $path 'MicrosoftGraphAppRoleAssignment'
}

# SDK New-MgServicePrincipalAppRoleAssignment: -ServicePrincipalId, -PrincipalId, -ResourceId, -AppRoleId (or
# -BodyParameter) — this is admin consent for an application permission (GRAPH serviceprincipal-post-approleassignments).
function New-MgServicePrincipalAppRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] [string] $ServicePrincipalId, [string] $PrincipalId, [string] $ResourceId, [string] $AppRoleId, [object] $BodyParameter)
    Import-SimCallerPreference $PSCmdlet
    $body = New-SimBody $PSBoundParameters @('PrincipalId', 'ResourceId', 'AppRoleId')
    if (-not (Test-SimShouldProcess $PSCmdlet 'New-MgServicePrincipalAppRoleAssignment_CreateExpanded')) { return }
    Invoke-SimCmdlet $PSCmdlet 'New-MgServicePrincipalAppRoleAssignment_CreateExpanded' POST "/v1.0/servicePrincipals/$(Get-SimSegment $ServicePrincipalId)/appRoleAssignments" $body 'MicrosoftGraphAppRoleAssignment'
}

# SDK Remove-MgServicePrincipalAppRoleAssignment: -ServicePrincipalId, -AppRoleAssignmentId (revokes the consent).
function Remove-MgServicePrincipalAppRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory)] [string] $ServicePrincipalId, [Parameter(Mandatory)] [string] $AppRoleAssignmentId, [switch] $PassThru)
    Import-SimCallerPreference $PSCmdlet
    if (-not (Test-SimShouldProcess $PSCmdlet 'Remove-MgServicePrincipalAppRoleAssignment_Delete')) { return }
    Invoke-SimCmdlet $PSCmdlet 'Remove-MgServicePrincipalAppRoleAssignment_Delete' DELETE "/v1.0/servicePrincipals/$(Get-SimSegment $ServicePrincipalId)/appRoleAssignments/$(Get-SimSegment $AppRoleAssignmentId)" $null ''
    if ($PassThru -and $script:lastOk) { $true }
}
