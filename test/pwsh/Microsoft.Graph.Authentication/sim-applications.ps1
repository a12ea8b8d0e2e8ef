# The application resource of the simulated Microsoft Graph: create, update, secrets (addPassword, removePassword)
# under the tenant's app management policy. Dot-sourced by Microsoft.Graph.Authentication.psm1; pages cited as in
# sim-request.ps1.

# ---------------------------------------------------------------- applications

# GRAPH resources/application: id, appId, displayName, signInAudience, requiredResourceAccess, passwordCredentials,
# web { redirectUris }, ... ; GRAPH application-post-applications: displayName is required.
$script:appWritable = 'displayName', 'signInAudience', 'requiredResourceAccess', 'web', 'identifierUris', 'tags', 'description', 'notes'

function Assert-SimAppBody($Body, [switch] $Create) {
    if ($null -eq $Body) { Stop-SimGraph 400 'BadRequest' 'Empty Payload. JSON content expected.' }
    foreach ($k in (Get-SimBodyKeys $Body)) {
        # GRAPH resources/application, passwordCredentials: secrets are added by addPassword and removed by
        # removePassword. SILENT on a PATCH that sets them: refused.
        if ($k -ceq 'passwordCredentials') { Stop-SimGraph 400 'Request_BadRequest' 'passwordCredentials cannot be set by POST or PATCH: use addPassword and removePassword.' }
    }
    Assert-SimKeys $Body $script:appWritable 'application'
    if ($Create -and (-not $Body -or -not $Body.Contains('displayName'))) { Stop-SimGraph 400 'Request_BadRequest' "Property 'displayName' is required." }
    if ($Body.Contains('displayName')) {
        if ($Body.displayName -isnot [string] -or $Body.displayName.Trim() -eq '') { Stop-SimGraph 400 'Request_BadRequest' 'Invalid value specified for property ''displayName'' of resource ''Application''.' }
        # SILENT on the maximum length: 256 characters assumed (the portal's limit for a display name).
        if ($Body.displayName.Length -gt 256) { Stop-SimGraph 400 'Request_BadRequest' 'displayName is longer than 256 characters.' }
    }
    if ($Body.Contains('signInAudience') -and $script:audiences -cnotcontains $Body.signInAudience) {
        Stop-SimGraph 400 'Request_BadRequest' "Invalid value specified for property 'signInAudience': '$($Body.signInAudience)'."
    }
    if ($Body.Contains('requiredResourceAccess')) {
        $seen = @{}
        foreach ($r in @($Body.requiredResourceAccess)) {
            if ($r -isnot [System.Collections.IDictionary]) { Stop-SimGraph 400 'Request_BadRequest' 'requiredResourceAccess must be a list of objects.' }
            Assert-SimKeys $r @('resourceAppId', 'resourceAccess') 'requiredResourceAccess'
            if (-not (Test-SimGuid $r.resourceAppId)) { Stop-SimGraph 400 'Request_BadRequest' "Invalid value specified for property 'resourceAppId': '$($r.resourceAppId)'." }
            # SILENT on two entries for the same resource: refused (the portal keeps one per API).
            if ($seen.ContainsKey($r.resourceAppId)) { Stop-SimGraph 400 'Request_BadRequest' "requiredResourceAccess lists resourceAppId '$($r.resourceAppId)' twice." }
            $seen[$r.resourceAppId] = $true
            foreach ($a in @($r.resourceAccess)) {
                if ($a -isnot [System.Collections.IDictionary]) { Stop-SimGraph 400 'Request_BadRequest' 'resourceAccess must be a list of objects.' }
                Assert-SimKeys $a @('id', 'type') 'resourceAccess'
                # GRAPH resources/resourceaccess: type is Scope (delegated) or Role (application).
                if (-not (Test-SimGuid $a.id) -or ('Role', 'Scope' -cnotcontains $a.type)) { Stop-SimGraph 400 'Request_BadRequest' "Invalid resourceAccess entry: id '$($a.id)', type '$($a.type)' (type is 'Role' or 'Scope')." }
            }
        }
    }
    if ($Body.Contains('web')) {
        if ($Body.web -isnot [System.Collections.IDictionary]) { Stop-SimGraph 400 'Request_BadRequest' 'web must be an object.' }
        Assert-SimKeys $Body.web @('redirectUris', 'homePageUrl', 'logoutUrl', 'implicitGrantSettings') 'webApplication'
        foreach ($u in @($Body.web.redirectUris | Where-Object { $null -ne $_ })) {
            # GRAPH resources/webapplication and the redirect URI restrictions page: https, or http on localhost.
            if ($u -isnot [string] -or $u -notmatch '^(https://[^\s/]+|http://localhost)(/\S*)?$') { Stop-SimGraph 400 'Request_BadRequest' "Invalid value specified for property 'redirectUris': '$u'." }
        }
    }
}

function New-SimApplication($State, $Body) {
    $app = [ordered]@{
        id                     = New-SimGuid $State
        appId                  = New-SimGuid $State
        displayName            = $Body.displayName
        # GRAPH application-post-applications / resources/application: signInAudience defaults to
        # AzureADandPersonalMicrosoftAccount when not given (facts file, section 8).
        signInAudience         = 'AzureADandPersonalMicrosoftAccount'
        createdDateTime        = Format-SimDate (Get-SimNow $State)
        publisherDomain        = @($State.domains)[0]
        identifierUris         = @()
        tags                   = @()
        description            = $null
        notes                  = $null
        requiredResourceAccess = @()
        keyCredentials         = @()
        passwordCredentials    = @()
        web                    = [ordered]@{ redirectUris = @(); homePageUrl = $null; logoutUrl = $null; implicitGrantSettings = [ordered]@{ enableAccessTokenIssuance = $false; enableIdTokenIssuance = $false } }
    }
    Set-SimAppProperties $app $Body
    $app
}

# PATCH replaces each property given (a collection is replaced whole: GRAPH application-update).
function Set-SimAppProperties($App, $Body) {
    foreach ($k in (Get-SimBodyKeys $Body)) {
        if ($k -eq 'web') {
            foreach ($w in $Body.web.Keys) { $App.web[$w] = $(if ($w -eq 'redirectUris') { Get-SimList $Body.web[$w] } else { $Body.web[$w] }) }
        } elseif ($k -eq 'requiredResourceAccess') {
            $App[$k] = @(foreach ($r in @($Body[$k] | Where-Object { $null -ne $_ })) {
                    [ordered]@{ resourceAppId = $r.resourceAppId; resourceAccess = @(foreach ($a in @($r.resourceAccess)) { [ordered]@{ id = $a.id; type = $a.type } }) }
                })
        } elseif ($k -in 'identifierUris', 'tags') {
            $App[$k] = @($Body[$k] | Where-Object { $null -ne $_ })
        } else { $App[$k] = $Body[$k] }
    }
}

# GRAPH application-get: /applications/{id} or /applications(appId='{appId}'); an unknown one is 404
# Request_ResourceNotFound.
function Find-SimApplication($State, [string] $Key, [bool] $ByAppId) {
    $hit = @($State.applications | Where-Object { if ($ByAppId) { $_.appId -eq $Key } else { $_.id -eq $Key } })
    if ($hit.Count -ne 1) { Stop-SimGraph 404 'Request_ResourceNotFound' "Resource '$Key' does not exist or one of its queried reference-property objects are not present." }
    $hit[0]
}

function Get-SimDate([string] $Value, [string] $Name) {
    $d = [DateTimeOffset]::MinValue
    if (-not [DateTimeOffset]::TryParse($Value, [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AssumeUniversal, [ref] $d)) {
        Stop-SimGraph 400 'Request_BadRequest' "Invalid value specified for property '$Name': '$Value'."
    }
    $d.ToUniversalTime()
}

# The tenant's app management policy (GRAPH tenantappmanagementpolicy-get; resources/passwordcredentialconfiguration):
# an enabled restriction applies to apps created on or after restrictForAppsCreatedAfterDateTime (to all when unset).
function Get-SimPasswordRestrictions($State, $App) {
    $p = if ($State.Contains('appManagementPolicy')) { $State.appManagementPolicy } else { $null }
    if (-not $p -or -not $p.isEnabled) { return @() }
    @(foreach ($r in @($p.applicationRestrictions.passwordCredentials)) {
            if ($r.state -eq 'disabled') { continue }
            if ($r.restrictForAppsCreatedAfterDateTime -and (Get-SimDate $App.createdDateTime 'createdDateTime') -lt (Get-SimDate $r.restrictForAppsCreatedAfterDateTime 'restrictForAppsCreatedAfterDateTime')) { continue }
            $r
        })
}

# GRAPH application-addpassword: body { passwordCredential { displayName, startDateTime (default now), endDateTime
# (default startDateTime + 2 years) } }; 200 with the new passwordCredential, secretText included this once.
# Policy refusals: 400 CredentialTypeNotAllowedAsPerAppPolicy (passwordAddition) and 400
# CredentialInvalidLifetimeAsPerAppPolicy (passwordLifetime maxLifetime exceeded) — the codes in the facts file,
# section 8; their message texts are SILENT in Microsoft's pages (the lifetime one as public threads quote it).
function Add-SimPassword($State, $App, $Body) {
    Assert-SimKeys $Body @('passwordCredential') 'addPasswordRequestBody'
    $pc = if ($Body -and $Body.Contains('passwordCredential')) { $Body.passwordCredential } else { @{} }
    Assert-SimKeys $pc @('displayName', 'startDateTime', 'endDateTime') 'passwordCredential'
    $start = if ($pc.Contains('startDateTime') -and $pc.startDateTime) { Get-SimDate $pc.startDateTime 'startDateTime' } else { Get-SimNow $State }
    $end = if ($pc.Contains('endDateTime') -and $pc.endDateTime) { Get-SimDate $pc.endDateTime 'endDateTime' } else { $start.AddYears(2) }
    # SILENT on an end before the start: refused.
    if ($end -le $start) { Stop-SimGraph 400 'Request_BadRequest' 'endDateTime must be later than startDateTime.' }
    foreach ($r in (Get-SimPasswordRestrictions $State $App)) {
        if ($r.restrictionType -eq 'passwordAddition') { Stop-SimGraph 400 'CredentialTypeNotAllowedAsPerAppPolicy' 'Credential type not allowed as per assigned policy.' }
        if ($r.restrictionType -eq 'passwordLifetime' -and ($end - $start) -gt [System.Xml.XmlConvert]::ToTimeSpan($r.maxLifetime)) {
            Stop-SimGraph 400 'CredentialInvalidLifetimeAsPerAppPolicy' 'Credential lifetime exceeds the max value allowed as per assigned policy.'
        }
    }
    $secret = New-SimSecret $State
    $stored = [ordered]@{
        customKeyIdentifier = $null
        displayName         = $(if ($pc.Contains('displayName')) { $pc.displayName } else { $null })
        endDateTime         = Format-SimDate $end
        hint                = $secret.Substring(0, 3)
        keyId               = New-SimGuid $State
        secretText          = $null
        startDateTime       = Format-SimDate $start
    }
    $App.passwordCredentials = @(@($App.passwordCredentials) + $stored)
    $answer = [ordered]@{} + $stored
    $answer.secretText = $secret
    $answer
}

# GRAPH application-removepassword: body { keyId }; 204. SILENT on an unknown keyId: 404 assumed.
function Remove-SimPassword($App, $Body) {
    Assert-SimKeys $Body @('keyId') 'removePasswordRequestBody'
    if (-not $Body -or -not (Test-SimGuid $Body.keyId)) { Stop-SimGraph 400 'Request_BadRequest' "Invalid value specified for property 'keyId'." }
    $keep = @($App.passwordCredentials | Where-Object { $_.keyId -ne $Body.keyId })
    if ($keep.Count -eq @($App.passwordCredentials).Count) { Stop-SimGraph 404 'Request_ResourceNotFound' "No password credential found with keyId '$($Body.keyId)'." }
    $App.passwordCredentials = $keep
}
