# Who may do what in the simulated tenant: the delegated scopes in the token AND a directory role of the signed-in
# account (delegated access is the intersection of both: learn.microsoft.com/graph/permissions-overview, "Delegated
# access"). A call without them is 403 Authorization_RequestDenied "Insufficient privileges to complete the
# operation." (the body Graph returns, graph/errors; the SDK's own example in get-mgcontext lists the scopes).
# Dot-sourced by Microsoft.Graph.Authentication.psm1.

$script:appAdmins = 'Global Administrator', 'Application Administrator', 'Cloud Application Administrator'

# Each need: `scopes`, a list of any-of groups (every group must be met by one scope of the token), and `roles`, any
# one of which the account must hold ($null: any account). Scopes from each API page's Permissions table (least to
# most privileged); roles from each page's "Microsoft Entra roles" note and the facts file, section 8.
$script:needs = @{
    # application-list / application-get / serviceprincipal-list / serviceprincipal-get: Application.Read.All is the
    # least; SILENT on roles for reads: any member user reads applications by default, so no role is required.
    'read'      = @{ scopes = @(, @('Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All')); roles = $null }
    # application-post-applications, application-update, application-delete, application-addpassword,
    # application-removepassword, serviceprincipal-post-serviceprincipals: Application.ReadWrite.All. Roles:
    # Application Administrator / Cloud Application Administrator (Application Developer may create apps only).
    'app.write' = @{ scopes = @(, @('Application.ReadWrite.All', 'Directory.AccessAsUser.All')); roles = $script:appAdmins }
    'app.create' = @{ scopes = @(, @('Application.ReadWrite.All', 'Directory.AccessAsUser.All')); roles = @($script:appAdmins) + 'Application Developer' }
    # serviceprincipal-list-approleassignments: Application.Read.All (or AppRoleAssignment.ReadWrite.All).
    'ara.read'  = @{ scopes = @(, @('Application.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All')); roles = $null }
    # serviceprincipal-post-approleassignments: "AppRoleAssignment.ReadWrite.All and Application.Read.All"
    # (facts file, section 8: both); delete-approleassignments likewise.
    'ara.write' = @{ scopes = @(@('AppRoleAssignment.ReadWrite.All', 'Directory.AccessAsUser.All'), @('Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All')); roles = @($script:appAdmins) + 'Privileged Role Administrator' }
    # tenantappmanagementpolicy-get: Policy.Read.All. SILENT on the exact reader roles: Global Reader, Security Reader,
    # Security Administrator and the application administrators are allowed, others refused.
    'policy.read' = @{ scopes = @(, @('Policy.Read.All', 'Policy.ReadWrite.ApplicationConfiguration')); roles = @($script:appAdmins) + 'Global Reader', 'Security Reader', 'Security Administrator' }
    # identitysecuritydefaultsenforcementpolicy-get: Policy.Read.All. SILENT on roles: assumed the security readers
    # only (Global Reader, Security Reader, Security Administrator, Conditional Access Administrator, Global
    # Administrator) — an application administrator is refused, so a script must survive a 403 here.
    'secdef.read' = @{ scopes = @(, @('Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess')); roles = 'Global Administrator', 'Global Reader', 'Security Reader', 'Security Administrator', 'Conditional Access Administrator' }
    # organization-get: User.Read is the least privileged delegated scope; any member user.
    'org.read'  = @{ scopes = @(, @('User.Read', 'Organization.Read.All', 'Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All')); roles = $null }
}

function Assert-SimAccess($State, $Connection, [string] $Need) {
    $n = $script:needs[$Need]
    foreach ($group in $n.scopes) {
        if (-not @($Connection.Scopes | Where-Object { $group -contains $_ })) { Stop-SimGraph 403 'Authorization_RequestDenied' 'Insufficient privileges to complete the operation.' }
    }
    if ($null -ne $n.roles -and -not @($State.roles | Where-Object { $n.roles -contains $_ })) {
        Stop-SimGraph 403 'Authorization_RequestDenied' 'Insufficient privileges to complete the operation.'
    }
}

# Fault injection for tests: a fault { write: N, status?, code?, message? } makes the Nth write request to this
# tenant (counted over every run on the same state file) fail before it changes anything, as an outage half-way
# through a script would. Requests the SDK's -WhatIf never sends are not counted. The default is 500
# generalException "An unspecified error has occurred." (graph/errors): the SDK's retry handler retries 429, 503 and
# 504 by itself, which the simulation does not do, so a fault of those statuses stands for an outage that outlasted
# the retries.
function Invoke-SimWriteFault($State) {
    $State.writeCount = [int] $State.writeCount + 1
    foreach ($f in $State.faults) {
        if ([int] $f.write -eq $State.writeCount) {
            Save-SimState $State
            $status = if ($f.Contains('status')) { [int] $f.status } else { 500 }
            $code = if ($f.Contains('code')) { $f.code } else { 'generalException' }
            $message = if ($f.Contains('message')) { $f.message } else { 'An unspecified error has occurred.' }
            Stop-SimGraph $status $code $message
        }
    }
}
