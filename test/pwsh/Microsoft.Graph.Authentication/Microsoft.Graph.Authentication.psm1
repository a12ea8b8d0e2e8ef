# A simulated Microsoft Graph for tests, loaded in place of the real Microsoft.Graph.Authentication module (the tests
# put test/pwsh first on PSModulePath). It never talks to a network. Microsoft.Graph.Applications (beside it) sends
# its requests through this module, as the real one does.
#
# Tenant state lives in the JSON file named by $env:GRAPH_SIM_STATE; every call (its bound parameters exactly as
# received, whether it changed the tenant, the HTTP requests it made) is appended to the JSON-lines file named by
# $env:GRAPH_SIM_LOG. test/helpers/graph-sim.ts seeds the file, runs scripts under pwsh and reads both back.
#
# Each behaviour cites its page:
#   SDK <Cmdlet> = https://learn.microsoft.com/powershell/module/microsoft.graph.<module>/<cmdlet> (source:
#     github.com/MicrosoftDocs/microsoftgraph-docs-powershell, microsoftgraph/graph-powershell-1.0/<Module>/<Cmdlet>.md)
#   SRC = the SDK's own source, github.com/microsoftgraph/msgraph-sdk-powershell,
#     src/Authentication/Authentication/Cmdlets/InvokeMgGraphRequest.cs
#   GRAPH <page> = https://learn.microsoft.com/graph/api/<page> (see sim-request.ps1)
# Where the pages are silent the comment says "SILENT" and the simulation is strict.
#
# State file (every key optional unless said):
#   tenantId, tenantDisplayName, domains [..]   the tenant (GET /organization); the first domain is the default
#   environment                                 the cloud it lives in: Global (default), USGov, USGovDoD, China
#   account, roles [..]                         the admin who signs in and their directory roles
#   grantedScopes [..]                          the scopes the token carries; absent: exactly those Connect-MgGraph asked for
#   signedInTenantId                            the tenant the sign-in lands in whatever -TenantId said (a wrong-tenant knob)
#   signInError                                 Connect-MgGraph fails with this message (cancelled sign-in, Conditional Access...)
#   applications [..], servicePrincipals [..], appRoleAssignments [..]   Graph objects, camelCase, as Graph returns them
#   appManagementPolicy                         { isEnabled, applicationRestrictions { passwordCredentials [{ restrictionType, maxLifetime, state, restrictForAppsCreatedAfterDateTime }] } }
#   securityDefaultsEnabled                     true / false
#   pageSize                                    page size of every list (default 100)
#   faults [{ write: N, status?, code?, message? }]   the Nth write request fails (writeCount keeps the count)
#   now                                         ISO 8601: the service's clock (default: the real one)
#   idCounter                                   next deterministic id

# Version 1: no uninitialized variables; hashtables from JSON are read with .key for keys that may be absent.
Set-StrictMode -Version 1

. "$PSScriptRoot/sim-state.ps1"
. "$PSScriptRoot/sim-access.ps1"
. "$PSScriptRoot/sim-request.ps1"
. "$PSScriptRoot/sim-applications.ps1"
. "$PSScriptRoot/sim-principals.ps1"
. "$PSScriptRoot/sim-router.ps1"
. "$PSScriptRoot/sim-convert.ps1"

$script:connection = $null
# The Microsoft Graph Command Line Tools public client, used when -ClientId is not given (facts file, section 8).
$script:defaultClientId = '14d82eec-204b-4c2f-b7e8-296a70dab67e'

# ---------------------------------------------------------------- connection

# SDK Connect-MgGraph, UserParameterSet: [-Scopes] [-TenantId] [-ClientId] [-ContextScope Process|CurrentUser]
# [-Environment] [-UseDeviceCode] [-ClientTimeout] [-NoWelcome]. Only delegated sign-in is simulated: the app-only
# parameter sets (certificate, secret, identity, access token) are not declared, so using them fails to bind.
# Environments as Get-MgEnvironment lists them in the same page: Global, USGov, USGovDoD, China.
function Connect-MgGraph {
    [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]
    param(
        [Parameter(Position = 1)] [string[]] $Scopes,
        [Parameter(Position = 2)] [string] $TenantId,
        [Alias('AppId', 'ApplicationId')] [string] $ClientId,
        [ValidateSet('Process', 'CurrentUser')] [string] $ContextScope = 'CurrentUser',
        [Alias('EnvironmentName', 'NationalCloud')] [string] $Environment = 'Global',
        [Alias('UseDeviceAuthentication', 'DeviceCode', 'DeviceAuth', 'Device')] [switch] $UseDeviceCode,
        [double] $ClientTimeout,
        [switch] $NoWelcome
    )
    $state = Read-SimState
    Write-SimLog 'Connect-MgGraph' $PSBoundParameters $false @()
    $cloud = @($script:graphHosts.Keys | Where-Object { $_ -eq $Environment })
    # SILENT on the error text for an unknown environment.
    if ($cloud.Count -ne 1) { throw "Connect-MgGraph: the environment '$Environment' does not exist (Get-MgEnvironment lists Global, USGov, USGovDoD, China)." }
    if ($state.Contains('signInError') -and $state.signInError) { throw $state.signInError }
    # SILENT on the exact failure when the account lives in another cloud: the sign-in fails, message assumed.
    if ($cloud[0] -ne $state.environment) {
        throw "AADSTS50020: User account '$($state.account)' does not exist in the $($cloud[0]) cloud; its tenant is in $($state.environment) (simulated sign-in failure)."
    }
    $landed = $state.tenantId
    if ($state.Contains('signedInTenantId') -and $state.signedInTenantId) { $landed = $state.signedInTenantId }
    elseif ($TenantId -and $TenantId -ne $state.tenantId -and -not @($state.domains | Where-Object { $_ -eq $TenantId })) {
        # ENTRA-ERR (reference-error-codes) AADSTS50020: the user account does not exist in the tenant asked for.
        throw "AADSTS50020: User account '$($state.account)' from identity provider 'https://sts.windows.net/$($state.tenantId)/' does not exist in tenant '$TenantId' and cannot access the application '$(if ($ClientId) { $ClientId } else { $script:defaultClientId })' in that tenant."
    }
    $granted = if ($state.Contains('grantedScopes') -and $null -ne $state.grantedScopes) { @($state.grantedScopes) } else { @($Scopes) }
    $script:connection = [ordered]@{
        ClientId     = $(if ($ClientId) { $ClientId } else { $script:defaultClientId })
        TenantId     = $landed
        Scopes       = [string[]] @($granted | Where-Object { $_ })
        Account      = $state.account
        Environment  = $cloud[0]
        ContextScope = $ContextScope
        DeviceCode   = [bool] $UseDeviceCode
    }
    if (-not $NoWelcome) {
        # SDK Connect-MgGraph -NoWelcome: "Hides the welcome message" (written to the host; text as the SDK prints it).
        Write-Host "Welcome to Microsoft Graph!`n`nConnected via delegated access using $($script:connection.ClientId)`nReadme: https://aka.ms/graph/sdk/powershell`nSDK Docs: https://aka.ms/graph/sdk/powershell/docs`nAPI Docs: https://aka.ms/graph/docs`n`nNOTE: You can use the -NoWelcome parameter to suppress this message."
    }
}

function Get-SimContextObject {
    $c = $script:connection
    [pscustomobject]@{
        PSTypeName             = 'Microsoft.Graph.PowerShell.Authentication.AuthContext'
        ClientId               = $c.ClientId
        TenantId               = $c.TenantId
        Scopes                 = $c.Scopes
        AuthType               = 'Delegated'
        TokenCredentialType    = $(if ($c.DeviceCode) { 'DeviceCode' } else { 'InteractiveBrowser' })
        CertificateThumbprint  = $null
        CertificateSubjectName = $null
        SendCertificateChain   = $false
        Account                = $c.Account
        AppName                = 'Microsoft Graph Command Line Tools'
        ContextScope           = $c.ContextScope
        Certificate            = $null
        PSHostVersion          = $PSVersionTable.PSVersion
        ManagedIdentityId      = $null
        ClientSecret           = $null
        Environment            = $c.Environment
    }
}

# SDK Get-MgContext: ClientId, TenantId, Scopes (consented), AuthType (Delegated or app-only), Account, AppName,
# ContextScope, ... (the page's example); v2 also shows TokenCredentialType and Environment. Nothing before
# Connect-MgGraph (SILENT: assumed $null, as a script's `if (-not (Get-MgContext))` expects).
function Get-MgContext {
    [CmdletBinding()]
    param()
    Write-SimLog 'Get-MgContext' $PSBoundParameters $false @()
    if ($script:connection) { Get-SimContextObject }
}

# SDK Disconnect-MgGraph. SILENT on its output: the disconnected context is written (as v2 does in public transcripts),
# so a script that does not discard it shows it. Not connected: "No application to sign out from." (terminating).
function Disconnect-MgGraph {
    [CmdletBinding()]
    param()
    Write-SimLog 'Disconnect-MgGraph' $PSBoundParameters $false @()
    if (-not $script:connection) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new('No application to sign out from.'), 'SignOutFailed', 'InvalidOperation', $null))
    }
    $context = Get-SimContextObject
    $script:connection = $null
    $context
}

# SRC GetAuthProvider / ValidateParameters: a call before Connect-MgGraph is a terminating error. SILENT on the text
# (the resource string is not on a page): assumed the SDK's "Authentication needed. Please call Connect-MgGraph."
function Assert-SimConnected($Cmdlet) {
    if ($script:connection) { return }
    $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.Security.Authentication.AuthenticationException]::new('Authentication needed. Please call Connect-MgGraph.'), 'NotConnected', 'AuthenticationError', $null))
}

# ---------------------------------------------------------------- Invoke-MgGraphRequest

# SDK Invoke-MgGraphRequest: [[-Method] <GraphRequestMethod>] [-Uri] <uri> [[-Body] <Object>] [-Headers]
# [-ContentType] [-StatusCodeVariable] [-ResponseHeadersVariable] [-SkipHttpErrorCheck] [-OutputType]. It has NO
# -WhatIf / -Confirm (no SupportsShouldProcess in SRC): a write through it happens even when the calling script runs
# under -WhatIf. The file parameters and HttpResponseMessage output are not simulated.
function Invoke-MgGraphRequest {
    [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]
    param(
        [Parameter(Position = 1)] [ValidateSet('GET', 'POST', 'PUT', 'PATCH', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory, Position = 2)] [uri] $Uri,
        [Parameter(Position = 3, ValueFromPipeline)] [object] $Body,
        [Parameter(Position = 4)] [System.Collections.IDictionary] $Headers,
        [string] $ContentType,
        [string] $StatusCodeVariable,
        [Alias('RHV')] [string] $ResponseHeadersVariable,
        [switch] $SkipHttpErrorCheck,
        [ValidateSet('HashTable', 'PSObject', 'Json')] [string] $OutputType = 'HashTable'
    )
    process {
        $Method = $Method.ToUpperInvariant()
        Assert-SimConnected $PSCmdlet
        # SRC ValidateParameters: "When PATCH or POST is specified, ensure a body is present" (terminating). SILENT on
        # the text: assumed.
        if ($Method -in 'POST', 'PATCH' -and $null -eq $Body) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new([System.Management.Automation.ValidationMetadataException]::new("Body cannot be null when Method is $Method."), 'InvokeGraphRequestBodyMissingWhenMethodIsSpecified', 'InvalidArgument', $null))
        }
        if ($Method -eq 'GET' -and $null -ne $Body) { throw 'Invoke-MgGraphRequest: a GET with -Body (sent as query parameters by the SDK) is not simulated.' }
        if ($Method -eq 'PUT') { throw 'Invoke-MgGraphRequest: PUT is not simulated (no route of this simulation takes it).' }
        $json = ConvertTo-SimRequestJson $Body
        $answer = Invoke-SimService $script:connection $Method $Uri.OriginalString $json
        Write-SimLog 'Invoke-MgGraphRequest' $PSBoundParameters $answer.Changed @($answer.Request)
        if ($StatusCodeVariable) { $PSCmdlet.SessionState.PSVariable.Set($StatusCodeVariable, $answer.Status) }
        if ($ResponseHeadersVariable) { $PSCmdlet.SessionState.PSVariable.Set($ResponseHeadersVariable, @{ 'Content-Type' = @('application/json') }) }
        if ($answer.Status -ge 400) {
            if ($SkipHttpErrorCheck) { return ConvertTo-SimOutput ($answer.ErrorJson | ConvertFrom-Json -AsHashtable) $OutputType }
            $PSCmdlet.ThrowTerminatingError((New-SimHttpErrorRecord $answer $Method $script:connection))
        }
        # SILENT on a 204: the response has no body; nothing is written (assumed).
        if ($null -ne $answer.Body) { ConvertTo-SimOutput $answer.Body $OutputType }
    }
}

# SRC GenerateHttpErrorRecordAsync: an HttpResponseException "Response status code does not indicate success: <status>
# (<reason>)." with the error id InvokeGraphHttpResponseException, category InvalidOperation, and ErrorDetails the
# formatted request line, response status line, headers and body, as public transcripts show:
#   GET https://graph.microsoft.com/v1.0/...
#   HTTP/1.1 400 Bad Request
#   ...
#   {"error":{"code":"...","message":"..."}}
# ThrowTerminatingError (SRC ProcessRecordAsync): statement-terminating; try/catch or -ErrorAction Stop catch it.
function New-SimHttpErrorRecord($Answer, [string] $Method, $Connection) {
    $reason = $script:reasons[$Answer.Status]
    $name = $script:statusNames[$Answer.Status]
    $response = [System.Net.Http.HttpResponseMessage]::new([System.Net.HttpStatusCode] $Answer.Status)
    $exception = [Microsoft.PowerShell.Commands.HttpResponseException]::new("Response status code does not indicate success: $name ($reason).", $response)
    $record = [System.Management.Automation.ErrorRecord]::new($exception, 'InvokeGraphHttpResponseException', 'InvalidOperation', $null)
    $absolute = "https://$($script:graphHosts[$Connection.Environment])$($Answer.Request.uri)"
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new("$Method $absolute`nHTTP/1.1 $($Answer.Status) $reason`nCache-Control: no-cache`nrequest-id: 5e500000-0000-4000-8000-00000000feed`nDate: $($Answer.Date)`nContent-Type: application/json`n`n$($Answer.ErrorJson)")
    $record
}

# ---------------------------------------------------------------- the SDK cmdlets' transport (Microsoft.Graph.Applications)

# One SDK cmdlet's request(s): follows @odata.nextLink when -All asks for every page. Returns @{ Body; Error } where
# Error is the ErrorRecord the cmdlet writes (the cmdlet itself writes it, so that its own -ErrorAction applies).
function Invoke-SimSdkRequest($Cmdlet, [string] $Name, [string] $Method, [string] $Uri, $Body, [bool] $All) {
    Assert-SimConnected $Cmdlet
    $json = if ($null -ne $Body) { ConvertTo-Json -InputObject $Body -Depth 20 -Compress } else { $null }
    $requests = [System.Collections.Generic.List[object]]::new()
    $items = [System.Collections.Generic.List[object]]::new()
    $changed = $false
    $result = @{ Body = $null; Error = $null }
    while ($true) {
        $answer = Invoke-SimService $script:connection $Method $Uri $json
        $requests.Add($answer.Request)
        $changed = $changed -or $answer.Changed
        if ($answer.Status -ge 400) { $result.Error = New-SimSdkErrorRecord $answer $Name; break }
        $b = $answer.Body
        if ($null -eq $b -or -not $b.Contains('value')) { $result.Body = $b; break }
        foreach ($v in @($b.value)) { $items.Add($v) }
        if (-not $All -or -not $b.Contains('@odata.nextLink')) { $result.Body = @{ value = $items.ToArray() }; break }
        $Uri = $b['@odata.nextLink']
    }
    Write-SimLog ($Cmdlet.MyInvocation.MyCommand.Name) $Cmdlet.MyInvocation.BoundParameters $changed $requests.ToArray()
    $result
}

# The SDK's generated cmdlets write a non-terminating error (facts file, section 8: "SDK errors are non-terminating
# unless -ErrorAction Stop"), FullyQualifiedErrorId "<code>,Microsoft.Graph.PowerShell.Cmdlets.<Cmdlet_Variant>", and
# ErrorDetails as public transcripts show it:
#   Insufficient privileges to complete the operation.
#
#   Status: 403 (Forbidden)
#   ErrorCode: Authorization_RequestDenied
#   Date: 2025-12-30T02:31:45
function New-SimSdkErrorRecord($Answer, [string] $Name) {
    $exception = [System.Exception]::new($Answer.Message)
    $exception.Data['StatusCode'] = $Answer.Status
    $exception.Data['ErrorCode'] = $Answer.Code
    $record = [System.Management.Automation.ErrorRecord]::new($exception, "$($Answer.Code),Microsoft.Graph.PowerShell.Cmdlets.$($Name -replace '-', '')", 'InvalidOperation', $null)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new("$($Answer.Message)`n`nStatus: $($Answer.Status) ($($script:statusNames[$Answer.Status]))`nErrorCode: $($Answer.Code)`nDate: $($Answer.Date)`n`nHeaders:`nCache-Control                 : no-cache`nrequest-id                    : 5e500000-0000-4000-8000-00000000feed")
    $record
}
