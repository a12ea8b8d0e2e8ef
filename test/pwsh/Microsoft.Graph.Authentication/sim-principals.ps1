# Service principals, app role assignments (admin consent), the policies and the organization of the simulated
# Microsoft Graph. Dot-sourced by Microsoft.Graph.Authentication.psm1; pages cited as in sim-request.ps1.

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
