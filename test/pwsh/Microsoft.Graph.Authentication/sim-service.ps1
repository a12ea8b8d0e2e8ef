# The simulated Microsoft Graph service: one function, Invoke-SimService, takes a request as the SDK sends it (method,
# URI as written by the caller, JSON body text) and answers { Status, Body, Changed, Request }. Both front ends use
# it: Invoke-MgGraphRequest and the Microsoft.Graph.Applications cmdlets. Dot-sourced by the module.
#
# Pages cited: GRAPH <page> = https://learn.microsoft.com/graph/api/<page> (source: github.com/microsoftgraph/
# microsoft-graph-docs-contrib, api-reference/v1.0/api/<page>.md). "SILENT" marks what the pages do not say; there
# the simulation is strict (it refuses what real Graph might accept), so a script that passes here relies on nothing
# undocumented.

$script:graphHosts = @{ Global = 'graph.microsoft.com'; USGov = 'graph.microsoft.us'; USGovDoD = 'dod-graph.microsoft.us'; China = 'microsoftgraph.chinacloudapi.cn' }
$script:audiences = 'AzureADMyOrg', 'AzureADMultipleOrgs', 'AzureADandPersonalMicrosoftAccount', 'PersonalMicrosoftAccount'
$script:graphAppId = '00000003-0000-0000-c000-000000000000'
$script:policyId = '00000000-0000-0000-0000-000000000000'

# ---------------------------------------------------------------- request parsing

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

# ---------------------------------------------------------------- applications

# GRAPH resources/application: id, appId, displayName, signInAudience, requiredResourceAccess, passwordCredentials,
# web { redirectUris }, ... ; GRAPH application-post-applications: displayName is required.
$script:appWritable = 'displayName', 'signInAudience', 'requiredResourceAccess', 'web', 'identifierUris', 'tags', 'description', 'notes'

function Assert-SimAppBody($Body, [switch] $Create) {
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
        } elseif ($k -in 'requiredResourceAccess', 'identifierUris', 'tags') {
            $App[$k] = @(foreach ($r in @($Body[$k] | Where-Object { $null -ne $_ })) { if ($k -eq 'requiredResourceAccess') { [ordered]@{ resourceAppId = $r.resourceAppId; resourceAccess = @(foreach ($a in @($r.resourceAccess)) { [ordered]@{ id = $a.id; type = $a.type } }) } } else { $r } })
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

# ---------------------------------------------------------------- service principals and app role assignments

function Find-SimServicePrincipal($State, [string] $Key, [bool] $ByAppId) {
    $hit = @($State.servicePrincipals | Where-Object { if ($ByAppId) { $_.appId -eq $Key } else { $_.id -eq $Key } })
    if ($hit.Count -ne 1) { Stop-SimGraph 404 'Request_ResourceNotFound' "Resource '$Key' does not exist or one of its queried reference-property objects are not present." }
    $hit[0]
}

# GRAPH serviceprincipal-post-serviceprincipals: body { appId } (required); a second one for the same appId is 409
# Request_MultipleObjectsWithSameKeyValue (facts file, section 8). SILENT on an appId of no application in the
# tenant (a multi-tenant app of another tenant): refused, the simulation has no other tenants.
function New-SimServicePrincipal($State, $Body) {
    Assert-SimKeys $Body @('appId', 'accountEnabled', 'appRoleAssignmentRequired', 'tags', 'notes') 'servicePrincipal'
    if (-not $Body -or -not (Test-SimGuid $Body.appId)) { Stop-SimGraph 400 'Request_BadRequest' "Property 'appId' is required and must be a GUID." }
    if (@($State.servicePrincipals | Where-Object { $_.appId -eq $Body.appId }).Count) {
        Stop-SimGraph 409 'Request_MultipleObjectsWithSameKeyValue' 'Another object with the same value for property servicePrincipalNames already exists.'
    }
    $app = @($State.applications | Where-Object { $_.appId -eq $Body.appId })
    if ($app.Count -ne 1) { Stop-SimGraph 400 'Request_BadRequest' "The appId '$($Body.appId)' of the service principal does not reference a valid application object." }
    [ordered]@{
        id                        = New-SimGuid $State
        appId                     = $Body.appId
        displayName               = $app[0].displayName
        accountEnabled            = $(if ($Body.Contains('accountEnabled')) { [bool] $Body.accountEnabled } else { $true })
        appRoleAssignmentRequired = $(if ($Body.Contains('appRoleAssignmentRequired')) { [bool] $Body.appRoleAssignmentRequired } else { $false })
        appOwnerOrganizationId    = $State.tenantId
        servicePrincipalType      = 'Application'
        servicePrincipalNames     = @($Body.appId)
        appRoles                  = @()
        oauth2PermissionScopes    = @()
        tags                      = @(Get-SimList $Body.tags)
        notes                     = $(if ($Body.Contains('notes')) { $Body.notes } else { $null })
    }
}

# GRAPH serviceprincipal-post-approleassignments: body { principalId, resourceId, appRoleId }, principalId being the
# service principal of the URL; 201 with the appRoleAssignment. A duplicate is 400 "Permission being assigned already
# exists on the object." (facts file). Assigning Microsoft Graph's own app roles needs Privileged Role Administrator
# or Global Administrator (facts file, section 1 step 3). SILENT on a principalId other than the URL's and on an
# appRoleId the resource does not define for applications: both refused with 400.
function New-SimAssignment($State, $Connection, $Principal, $Body) {
    Assert-SimKeys $Body @('principalId', 'resourceId', 'appRoleId') 'appRoleAssignment'
    foreach ($k in 'principalId', 'resourceId', 'appRoleId') {
        if (-not $Body -or -not (Test-SimGuid $Body[$k])) { Stop-SimGraph 400 'Request_BadRequest' "Invalid value specified for property '$k' of resource 'AppRoleAssignment'." }
    }
    if ($Body.principalId -ne $Principal.id) { Stop-SimGraph 400 'Request_BadRequest' "principalId '$($Body.principalId)' is not the service principal of the request URL." }
    $resource = Find-SimServicePrincipal $State $Body.resourceId $false
    if ($resource.appId -eq $script:graphAppId -and -not @($State.roles | Where-Object { 'Global Administrator', 'Privileged Role Administrator' -contains $_ })) {
        Stop-SimGraph 403 'Authorization_RequestDenied' 'Insufficient privileges to complete the operation.'
    }
    $role = @($resource.appRoles | Where-Object { $_.id -eq $Body.appRoleId -and @($_.allowedMemberTypes) -contains 'Application' -and $_.isEnabled -ne $false })
    if ($role.Count -ne 1) { Stop-SimGraph 400 'Request_BadRequest' "Permission being assigned was not found on application '$($resource.appId)'." }
    if (@($State.appRoleAssignments | Where-Object { $_.principalId -eq $Principal.id -and $_.resourceId -eq $resource.id -and $_.appRoleId -eq $Body.appRoleId }).Count) {
        Stop-SimGraph 400 'Request_BadRequest' 'Permission being assigned already exists on the object.'
    }
    [ordered]@{
        id                   = New-SimAssignmentId $State
        appRoleId            = $Body.appRoleId
        creationTimestamp    = Format-SimDate (Get-SimNow $State)
        deletedDateTime      = $null
        principalDisplayName = $Principal.displayName
        principalId          = $Principal.id
        principalType        = 'ServicePrincipal'
        resourceDisplayName  = $resource.displayName
        resourceId           = $resource.id
    }
}

# ---------------------------------------------------------------- policies and organization

# GRAPH tenantappmanagementpolicy-get: GET /policies/defaultAppManagementPolicy → the tenant default policy.
function Get-SimAppManagementPolicy($State) {
    $p = if ($State.Contains('appManagementPolicy') -and $State.appManagementPolicy) { $State.appManagementPolicy } else { @{ isEnabled = $false } }
    $app = if ($p.Contains('applicationRestrictions')) { $p.applicationRestrictions } else { @{} }
    [ordered]@{
        id                           = $script:policyId
        displayName                  = 'Default app management tenant policy'
        description                  = 'Default tenant policy that enforces app management restrictions on applications and service principals.'
        isEnabled                    = [bool] $p.isEnabled
        applicationRestrictions      = [ordered]@{ passwordCredentials = @(Get-SimList $app.passwordCredentials); keyCredentials = @() }
        servicePrincipalRestrictions = [ordered]@{ passwordCredentials = @(); keyCredentials = @() }
    }
}

# GRAPH identitysecuritydefaultsenforcementpolicy-get.
function Get-SimSecurityDefaults($State) {
    [ordered]@{
        id          = $script:policyId
        displayName = 'Security Defaults'
        description = 'Security defaults is a set of basic identity security mechanisms recommended by Microsoft.'
        isEnabled   = [bool] $State.securityDefaultsEnabled
    }
}

# GRAPH organization-get: GET /organization lists the one organization.
function Get-SimOrganization($State) {
    $i = 0
    [ordered]@{
        id              = $State.tenantId
        displayName     = $State.tenantDisplayName
        verifiedDomains = @(foreach ($d in $State.domains) { [ordered]@{ capabilities = 'Email, OfficeCommunicationsOnline'; isDefault = ($i -eq 0); isInitial = ($d -like '*.onmicrosoft.*'); name = $d; type = 'Managed' }; $i++ })
    }
}
