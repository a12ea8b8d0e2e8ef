# A simulated Exchange Online for tests, loaded in place of the real ExchangeOnlineManagement module (the tests put
# test/pwsh first on PSModulePath). It never talks to a network.
#
# Tenant state lives in the JSON file named by $env:EXO_SIM_STATE; every call (with its bound parameters, exactly as
# received) is appended to the JSON-lines file named by $env:EXO_SIM_LOG, with "change": true when it changed the
# tenant. test/helpers/exchange-sim.ts seeds the file, runs scripts under pwsh and reads both back.
#
# Each behaviour cites the page of the cmdlet reference it follows:
#   PS-DOCS <Cmdlet> = https://learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet>
#   (source: github.com/MicrosoftDocs/office-docs-powershell, exchange/exchange-ps/ExchangePowerShell/<Cmdlet>.md).
# Where the reference is silent or ambiguous the comment says "SILENT" and the simulation is strict: it fails where
# real Exchange might be lenient, so a script that passes here does not rely on leniency.
#
# State file (every key optional):
#   servicePrincipals         [{ AppId, ObjectId, DisplayName }]
#   mailboxes                 [{ PrimarySmtpAddress, Alias, DisplayName, ImapEnabled, PopEnabled, SmtpClientAuthenticationDisabled }]
#   mailboxPermissions        [{ Identity, User, AccessRights: [..], IsInherited, Deny }]
#   recipientPermissions      [{ Identity, Trustee, AccessRights: [..], AccessControlType, IsInherited }]
#   groups                    [{ Name, PrimarySmtpAddress, DistinguishedName, Members: [addresses], ManagedBy?: [addresses] }]
#   managementScopes          [{ Name, RecipientRestrictionFilter }]
#   managementRoleAssignments [{ Name, Role, App, CustomResourceScope }]
#   faults                    [{ Cmdlet, Identity?, Message }]   a call matching Cmdlet (and Identity) throws Message
#   organization              { TenantID?, AcceptedDomains?: [domains], Admin? }   what Get-ConnectionInformation and
#                             Get-AcceptedDomain show; TenantID null: the property is absent (see Get-ConnectionInformation)
#   principalColumn           'ObjectId' (default) | 'DisplayName'
# Permission entries and role assignments of a service principal are stored with its ObjectId. What the User /
# Trustee / RoleAssignee columns SHOW for a service principal is SILENT in every cmdlet page (user principals show a
# UPN), so principalColumn picks one of the two plausible answers: the ObjectId, or the principal's display name. A
# script must be right under both, which is why it asks Exchange (-User / -Trustee <ObjectId>) instead of comparing.

Set-StrictMode -Version Latest

$script:connected = $false
$script:self = 'NT AUTHORITY\SELF'
$script:knownRoles = @('Application SMTP.SendAsApp', 'Application Mail.Send', 'Application Mail.Read', 'Application Mail.ReadWrite')

# ---------------------------------------------------------------- state, log, errors

function Read-SimState {
    if (-not $env:EXO_SIM_STATE) { throw 'EXO_SIM_STATE is not set: the simulated Exchange Online has no tenant file.' }
    $state = [System.IO.File]::ReadAllText($env:EXO_SIM_STATE, [System.Text.UTF8Encoding]::new($false)) | ConvertFrom-Json -AsHashtable
    foreach ($key in 'servicePrincipals', 'mailboxes', 'mailboxPermissions', 'recipientPermissions', 'groups', 'managementScopes', 'managementRoleAssignments', 'faults') {
        $list = [System.Collections.Generic.List[object]]::new()
        if ($state.ContainsKey($key) -and $null -ne $state[$key]) { foreach ($item in $state[$key]) { $list.Add($item) } }
        $state[$key] = $list
    }
    foreach ($g in $state.groups) {
        if (-not $g.ContainsKey('Members') -or $null -eq $g.Members) { $g.Members = @() }
    }
    if (-not $state.ContainsKey('organization') -or $null -eq $state.organization) { $state.organization = @{} }
    if (-not $state.ContainsKey('principalColumn') -or -not $state.principalColumn) { $state.principalColumn = 'ObjectId' }
    $state
}

function Save-SimState($State) {
    $json = $State | ConvertTo-Json -Depth 10
    [System.IO.File]::WriteAllText($env:EXO_SIM_STATE, $json, [System.Text.UTF8Encoding]::new($false))
}

function Write-SimLog([string] $Cmdlet, $Parameters, [bool] $Change) {
    if (-not $env:EXO_SIM_LOG) { return }
    $bound = [ordered]@{}
    foreach ($k in ($Parameters.Keys | Sort-Object)) {
        $v = $Parameters[$k]
        if ($v -is [System.Management.Automation.SwitchParameter]) { $v = $v.IsPresent }
        $bound[$k] = $v
    }
    $line = [ordered]@{ cmdlet = $Cmdlet; parameters = $bound; change = $Change } | ConvertTo-Json -Depth 6 -Compress
    [System.IO.File]::AppendAllText($env:EXO_SIM_LOG, $line + "`n", [System.Text.UTF8Encoding]::new($false))
}

function New-SimError([string] $Message, [string] $Id, [System.Management.Automation.ErrorCategory] $Category, $Target) {
    [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($Message), $Id, $Category, $Target)
}

# Every cmdlet of the real module exists only after Connect-ExchangeOnline (PS-DOCS Connect-ExchangeOnline: "connect
# to Exchange Online ... before you can run the cmdlets"); the simulation refuses to run them before.
function Assert-Connected([string] $Cmdlet) {
    if (-not $script:connected) {
        throw "${Cmdlet}: not connected. Run Connect-ExchangeOnline first (simulated Exchange Online)."
    }
}

# Fault injection for tests: a fault { Cmdlet, Identity?, Message } makes the matching call throw, as a failing
# service call would (a terminating error).
function Invoke-SimFault($State, [string] $Cmdlet, [string] $Identity) {
    foreach ($f in $State.faults) {
        if ($f.Cmdlet -eq $Cmdlet -and (-not $f.ContainsKey('Identity') -or $f.Identity -eq $Identity)) { throw $f.Message }
    }
}

# PS-DOCS Get-MailboxPermission et al.: a missing object is a ManagementObjectNotFoundException; the message follows
# the service's "couldn't be found" wording. SILENT on whether it is terminating: written as a non-terminating error,
# so a caller must pass -ErrorAction Stop (or catch) to notice it, as with real cmdlets.
function Write-NotFound($Cmdlet, [string] $What, [string] $Identity) {
    $Cmdlet.WriteError((New-SimError "The operation couldn't be performed because object '$Identity' couldn't be found on 'SIM01.PROD.OUTLOOK.COM'." 'ManagementObjectNotFoundException' ObjectNotFound $Identity))
}

# PS-DOCS Get-MailboxPermission / Get-RecipientPermission / Get-DistributionGroupMember -ResultSize: "The default
# value is 1000"; "unlimited" returns everything. A caller that needs every entry must ask for it.
function Select-SimResultSize($Items, [string] $ResultSize) {
    if ($ResultSize -eq 'Unlimited') { return @($Items) }
    $n = 1000
    if ($ResultSize) { $n = [int] $ResultSize }
    @($Items | Select-Object -First $n)
}

function Test-Guid([string] $Value) { $Value -match '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$' }

# ---------------------------------------------------------------- resolution of identities

# PS-DOCS Get-ServicePrincipal -Identity: "any value that uniquely identifies the service principal": Name, DN, GUID,
# AppId, ObjectId. The simulation knows AppId, ObjectId and DisplayName (as Name); more than one match is an error.
function Find-SimServicePrincipal($State, [string] $Identity) {
    @($State.servicePrincipals | Where-Object { $_.ObjectId -eq $Identity -or $_.AppId -eq $Identity -or $_.DisplayName -eq $Identity })
}

function Find-SimMailbox($State, [string] $Identity) {
    @($State.mailboxes | Where-Object { $_.PrimarySmtpAddress -eq $Identity -or ($_.ContainsKey('Alias') -and $_.Alias -eq $Identity) })
}

function Find-SimGroup($State, [string] $Identity) {
    @($State.groups | Where-Object { $_.Name -eq $Identity -or $_.PrimarySmtpAddress -eq $Identity -or $_.DistinguishedName -eq $Identity })
}

# A recipient (mailbox or group) for Get/Add-RecipientPermission, PS-DOCS Add-RecipientPermission -Identity: "any
# value that uniquely identifies the recipient".
function Find-SimRecipient($State, [string] $Identity) {
    @(Find-SimMailbox $State $Identity) + @(Find-SimGroup $State $Identity)
}

# -User / -Trustee (SecurityPrincipalIdParameter). PS-DOCS Add-MailboxPermission -User lists mailbox users, mail users
# and mail-enabled security groups; MS-OAUTH ("Authenticate an IMAP, POP or SMTP connection using OAuth") passes the
# service principal's ObjectId. The simulation resolves: NT AUTHORITY\SELF, a service principal by ObjectId (SILENT
# whether AppId or a display name resolve too: refused), a mailbox by address. Returns the stored form or $null.
function Resolve-SimPrincipal($State, [string] $Value, [switch] $NoServicePrincipal) {
    if ($Value -eq $script:self) { return $script:self }
    $sp = @($State.servicePrincipals | Where-Object { $_.ObjectId -eq $Value })
    if ($sp.Count -eq 1 -and -not $NoServicePrincipal) { return $sp[0].ObjectId }
    $mb = @(Find-SimMailbox $State $Value)
    if ($mb.Count -eq 1) { return $mb[0].PrimarySmtpAddress }
    $null
}

# The stored principal (an ObjectId, an address or SELF) as the User / Trustee / RoleAssignee column shows it.
function Format-SimPrincipal($State, [string] $Stored) {
    if ($State.principalColumn -ne 'DisplayName') { return $Stored }
    $sp = @($State.servicePrincipals | Where-Object { $_.ObjectId -eq $Stored })
    if ($sp.Count -eq 1) { return $sp[0].DisplayName }
    $Stored
}

function Write-PrincipalNotFound($Cmdlet, [string] $Value) {
    $Cmdlet.WriteError((New-SimError "The user `"$Value`" wasn't found. Please make sure you've typed it correctly." 'ManagementObjectNotFoundException' ObjectNotFound $Value))
}

# ---------------------------------------------------------------- connection

# PS-DOCS Connect-ExchangeOnline: -UserPrincipalName, -ExchangeEnvironmentName (O365Default, O365USGovGCCHigh,
# O365USGovDoD, O365China, ...), -ShowBanner. Anything else the script might pass is accepted only if listed here.
function Connect-ExchangeOnline {
    [CmdletBinding()]
    param(
        [string] $UserPrincipalName,
        [ValidateSet('O365Default', 'O365GermanyCloud', 'O365China', 'O365USGovGCCHigh', 'O365USGovDoD')]
        [string] $ExchangeEnvironmentName,
        [switch] $ShowBanner,
        [pscredential] $Credential
    )
    $state = Read-SimState
    Invoke-SimFault $state 'Connect-ExchangeOnline' $UserPrincipalName
    $script:connected = $true
    $script:connectedAs = $UserPrincipalName
    Write-SimLog 'Connect-ExchangeOnline' $PSBoundParameters $false
}

# PS-DOCS Disconnect-ExchangeOnline: asks for confirmation unless -Confirm:$false (ConfirmImpact High), honours -WhatIf.
function Disconnect-ExchangeOnline {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param()
    if ($PSCmdlet.ShouldProcess('Exchange Online', 'Disconnect')) {
        $script:connected = $false
        Write-SimLog 'Disconnect-ExchangeOnline' $PSBoundParameters $false
    }
}

# PS-DOCS Get-ConnectionInformation (module 3.0.0 or later): one object per active REST connection, with the properties
# the page lists (ConnectionId, State, Id, Name, UserPrincipalName, ConnectionUri, ..., TenantID "The tenant ID GUID
# value", IsEopSession). SILENT on the .NET type of TenantID: given here as the string the state holds (a test may give
# it in capitals or braces); organization.TenantID null leaves the property out, as an older module would.
function Get-ConnectionInformation {
    [CmdletBinding()]
    param()
    $state = Read-SimState
    Write-SimLog 'Get-ConnectionInformation' $PSBoundParameters $false
    if (-not $script:connected) { return }
    $info = [ordered]@{
        ConnectionId      = '8b632b3a-a2e2-4ff3-adcd-6d119d07694b'
        State             = 'Connected'
        Id                = 1
        Name              = 'ExchangeOnline_1'
        UserPrincipalName = $(if ($script:connectedAs) { $script:connectedAs } elseif ($state.organization.ContainsKey('Admin')) { $state.organization.Admin } else { 'admin@sim.onmicrosoft.com' })
        ConnectionUri     = 'https://outlook.office365.com'
        IsEopSession      = $false
    }
    if ($state.organization.ContainsKey('TenantID') -and $null -ne $state.organization.TenantID) { $info['TenantID'] = $state.organization.TenantID }
    [pscustomobject] $info
}

# PS-DOCS Get-AcceptedDomain: the organization's accepted domains (DomainName, DomainType, Default).
function Get-AcceptedDomain {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Identity)
    Assert-Connected 'Get-AcceptedDomain'
    $state = Read-SimState
    Write-SimLog 'Get-AcceptedDomain' $PSBoundParameters $false
    $domains = @()
    if ($state.organization.ContainsKey('AcceptedDomains') -and $null -ne $state.organization.AcceptedDomains) { $domains = @($state.organization.AcceptedDomains) }
    $first = $true
    foreach ($d in $domains) {
        [pscustomobject]@{ Name = $d; DomainName = $d; DomainType = 'Authoritative'; Default = $first }
        $first = $false
    }
}

# ---------------------------------------------------------------- service principals

function ConvertTo-SimServicePrincipal($sp) {
    # PS-DOCS Get-ServicePrincipal example 2 / MS-OAUTH: Identity is what later cmdlets take; here the ObjectId.
    [pscustomobject]@{
        PSTypeName  = 'Deserialized.Microsoft.Exchange.Data.Directory.Management.ServicePrincipal'
        DisplayName = $sp.DisplayName
        AppId       = $sp.AppId
        ObjectId    = $sp.ObjectId
        Identity    = $sp.ObjectId
        Name        = $sp.ObjectId
    }
}

# PS-DOCS Get-ServicePrincipal: without -Identity, every service principal. Caution on -Identity: "The value $null or
# a non-existent value for the Identity parameter returns *all* objects as if you ran the Get- command without the
# Identity parameter" — simulated exactly so, which is why callers must filter what comes back.
function Get-ServicePrincipal {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [AllowNull()] [AllowEmptyString()] [string] $Identity)
    Assert-Connected 'Get-ServicePrincipal'
    $state = Read-SimState
    Invoke-SimFault $state 'Get-ServicePrincipal' $Identity
    Write-SimLog 'Get-ServicePrincipal' $PSBoundParameters $false
    $all = @($state.servicePrincipals)
    if ($PSBoundParameters.ContainsKey('Identity') -and $Identity) {
        $hit = @(Find-SimServicePrincipal $state $Identity)
        if ($hit.Count -gt 0) { $all = $hit }
    }
    foreach ($sp in $all) { ConvertTo-SimServicePrincipal $sp }
}

# PS-DOCS New-ServicePrincipal: -AppId and -ObjectId are "the unique AppId / ObjectId GUID value"; -ServiceId "is
# being deprecated. Use the ObjectId parameter instead" (refused here); -Organization is reserved for internal use.
# SILENT: whether two principals may share an ObjectId or an AppId; both are refused (strict). A stale principal
# (right AppId, the App registration's ObjectId) is seeded by the tests, not created twice.
function New-ServicePrincipal {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory)] [string] $AppId,
        [Parameter(Mandatory)] [string] $ObjectId,
        [string] $DisplayName
    )
    Assert-Connected 'New-ServicePrincipal'
    $state = Read-SimState
    Invoke-SimFault $state 'New-ServicePrincipal' $ObjectId
    if (-not (Test-Guid $AppId)) { throw "New-ServicePrincipal: AppId '$AppId' is not a GUID." }
    if (-not (Test-Guid $ObjectId)) { throw "New-ServicePrincipal: ObjectId '$ObjectId' is not a GUID." }
    if (@($state.servicePrincipals | Where-Object { $_.ObjectId -eq $ObjectId }).Count -gt 0) {
        throw "New-ServicePrincipal: a service principal with ObjectId '$ObjectId' already exists."
    }
    if (@($state.servicePrincipals | Where-Object { $_.AppId -eq $AppId }).Count -gt 0) {
        throw "New-ServicePrincipal: a service principal with AppId '$AppId' already exists (simulation: refused)."
    }
    # SILENT on DisplayName length; Entra allows 256 characters for a display name, so more is refused.
    if ($DisplayName.Length -gt 256) { throw "New-ServicePrincipal: DisplayName is longer than 256 characters." }
    if ($PSCmdlet.ShouldProcess($ObjectId, 'New-ServicePrincipal')) {
        $sp = @{ AppId = $AppId; ObjectId = $ObjectId; DisplayName = $(if ($DisplayName) { $DisplayName } else { $AppId }) }
        $state.servicePrincipals.Add($sp)
        Save-SimState $state
        Write-SimLog 'New-ServicePrincipal' $PSBoundParameters $true
        ConvertTo-SimServicePrincipal $sp
    }
}

# PS-DOCS Remove-ServicePrincipal: -Identity as for Get-ServicePrincipal; Remove- cmdlets ask for confirmation
# (PS-DOCS, -Confirm: "Destructive cmdlets (for example, Remove-* cmdlets) have a built-in pause"). SILENT on an
# identity that matches several principals (e.g. an AppId registered twice): refused, as it must be unique.
function Remove-ServicePrincipal {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity)
    Assert-Connected 'Remove-ServicePrincipal'
    $state = Read-SimState
    Invoke-SimFault $state 'Remove-ServicePrincipal' $Identity
    $hit = @(Find-SimServicePrincipal $state $Identity)
    if ($hit.Count -eq 0) { Write-NotFound $PSCmdlet 'ServicePrincipal' $Identity; return }
    if ($hit.Count -gt 1) { throw "Remove-ServicePrincipal: '$Identity' matches $($hit.Count) service principals; use the ObjectId." }
    if ($PSCmdlet.ShouldProcess($Identity, 'Remove-ServicePrincipal')) {
        $null = $state.servicePrincipals.Remove($hit[0])
        Save-SimState $state
        Write-SimLog 'Remove-ServicePrincipal' $PSBoundParameters $true
    }
}

# PS-DOCS Test-ServicePrincipalAuthorization: one row per role assigned to the principal (RoleName,
# GrantedPermissions, AllowedResourceScope, ScopeType, InScope); InScope is "Not Run" without -Resource.
# SILENT on how membership is evaluated: the simulation reads the scope's MemberOfGroup filter (direct members only,
# PS-DOCS New-ManagementRoleAssignment -RecipientGroupScope: "not nested groups").
function Test-ServicePrincipalAuthorization {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $Resource)
    Assert-Connected 'Test-ServicePrincipalAuthorization'
    $state = Read-SimState
    Write-SimLog 'Test-ServicePrincipalAuthorization' $PSBoundParameters $false
    $sp = @(Find-SimServicePrincipal $state $Identity)
    if ($sp.Count -ne 1) { Write-NotFound $PSCmdlet 'ServicePrincipal' $Identity; return }
    foreach ($a in @($state.managementRoleAssignments | Where-Object { $_.App -eq $sp[0].ObjectId })) {
        $inScope = 'Not Run'
        if ($Resource) {
            $scope = @($state.managementScopes | Where-Object { $_.Name -eq $a.CustomResourceScope })
            $inScope = $false
            if ($scope.Count -eq 1) {
                $dn = ConvertFrom-SimFilter $scope[0].RecipientRestrictionFilter
                $group = @($state.groups | Where-Object { $_.DistinguishedName -eq $dn })
                $mb = @(Find-SimMailbox $state $Resource)
                $inScope = $group.Count -eq 1 -and $mb.Count -eq 1 -and @($group[0].Members) -contains $mb[0].PrimarySmtpAddress
            }
        }
        [pscustomobject]@{ RoleName = $a.Role; GrantedPermissions = ($a.Role -replace '^Application ', ''); AllowedResourceScope = $a.CustomResourceScope; ScopeType = 'CustomRecipientScope'; InScope = $inScope }
    }
}

# ---------------------------------------------------------------- mailbox permissions

# PS-DOCS Get-MailboxPermission, DESCRIPTION: each entry has Identity, User, AccessRights, IsInherited, Deny; by
# default FullAccess and ReadPermission are directly assigned to NT AUTHORITY\SELF, and inherited entries (Deny
# FullAccess for admins, Allow for NT AUTHORITY\SYSTEM...) are listed too. -User "filters the results by who has
# permissions".
function Get-MailboxPermission {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $User, [switch] $IncludeUnresolvedPermissions, [string] $ResultSize)
    Assert-Connected 'Get-MailboxPermission'
    $state = Read-SimState
    Invoke-SimFault $state 'Get-MailboxPermission' $Identity
    Write-SimLog 'Get-MailboxPermission' $PSBoundParameters $false
    $mb = @(Find-SimMailbox $state $Identity)
    if ($mb.Count -ne 1) { Write-NotFound $PSCmdlet 'Mailbox' $Identity; return }
    $who = $null
    if ($PSBoundParameters.ContainsKey('User')) {
        # PS-DOCS Get-MailboxPermission -User "filters the results by who has permissions" (server side); MS-OAUTH
        # grants with -User <ObjectId>, and the same value filters here. An AppId or a display name is refused (SILENT).
        $who = Resolve-SimPrincipal $state $User
        if (-not $who) { Write-PrincipalNotFound $PSCmdlet $User; return }
    }
    # -User filters on the server, so -ResultSize counts only the matching entries.
    foreach ($p in (Select-SimResultSize @($state.mailboxPermissions | Where-Object { $_.Identity -eq $mb[0].PrimarySmtpAddress -and (-not $who -or $_.User -eq $who) }) $ResultSize)) {
        # PS-DOCS Get-MailboxPermission -IncludeUnresolvedPermissions "returns unresolved permissions": without it an
        # entry whose principal no longer exists (here: a removed service principal) is not listed.
        if (-not $IncludeUnresolvedPermissions -and (Test-Guid $p.User) -and @($state.servicePrincipals | Where-Object { $_.ObjectId -eq $p.User }).Count -eq 0) { continue }
        [pscustomobject]@{
            PSTypeName      = 'Deserialized.Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject'
            Identity        = $mb[0].PrimarySmtpAddress
            User            = (Format-SimPrincipal $state $p.User)
            AccessRights    = [string[]] @($p.AccessRights)
            IsInherited     = [bool] $p.IsInherited
            Deny            = [bool] $p.Deny
            InheritanceType = 'All'
        }
    }
}

# PS-DOCS Add-MailboxPermission (AccessRights set): -Identity, -User, -AccessRights mandatory; values ChangeOwner,
# ChangePermission, DeleteItem, ExternalAccount, FullAccess, ReadPermission; -AutoMapping, -Deny. No confirmation by
# default. SILENT on granting a right the user already has: refused (strict), so re-running must check first.
function Add-MailboxPermission {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Identity,
        [Parameter(Mandatory)] [string] $User,
        [Parameter(Mandatory)] [ValidateSet('ChangeOwner', 'ChangePermission', 'DeleteItem', 'ExternalAccount', 'FullAccess', 'ReadPermission')] [string[]] $AccessRights,
        [bool] $AutoMapping = $true,
        [switch] $Deny
    )
    Assert-Connected 'Add-MailboxPermission'
    $state = Read-SimState
    Invoke-SimFault $state 'Add-MailboxPermission' $Identity
    $mb = @(Find-SimMailbox $state $Identity)
    if ($mb.Count -ne 1) { Write-NotFound $PSCmdlet 'Mailbox' $Identity; return }
    $who = Resolve-SimPrincipal $state $User
    if (-not $who) { Write-PrincipalNotFound $PSCmdlet $User; return }
    $existing = @($state.mailboxPermissions | Where-Object { $_.Identity -eq $mb[0].PrimarySmtpAddress -and $_.User -eq $who -and -not $_.IsInherited -and [bool] $_.Deny -eq $Deny.IsPresent })
    foreach ($right in $AccessRights) {
        if (@($existing | Where-Object { @($_.AccessRights) -contains $right }).Count -gt 0) {
            throw "Add-MailboxPermission: $User already has $right on $Identity (simulation: granting twice is refused)."
        }
    }
    if ($PSCmdlet.ShouldProcess($Identity, "Add-MailboxPermission $($AccessRights -join ',') for $User")) {
        $entry = @{ Identity = $mb[0].PrimarySmtpAddress; User = $who; AccessRights = @($AccessRights); IsInherited = $false; Deny = $Deny.IsPresent }
        $state.mailboxPermissions.Add($entry)
        Save-SimState $state
        Write-SimLog 'Add-MailboxPermission' $PSBoundParameters $true
        [pscustomobject]@{ Identity = $entry.Identity; User = (Format-SimPrincipal $state $who); AccessRights = [string[]] $AccessRights; IsInherited = $false; Deny = $Deny.IsPresent }
    }
}

# PS-DOCS Remove-MailboxPermission (AccessRights set): -Identity, -User, -AccessRights; asks for confirmation
# (Remove-*). SILENT on removing what is not there: an error (strict).
function Remove-MailboxPermission {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Identity,
        [Parameter(Mandatory)] [string] $User,
        [Parameter(Mandatory)] [ValidateSet('ChangeOwner', 'ChangePermission', 'DeleteItem', 'ExternalAccount', 'FullAccess', 'ReadPermission')] [string[]] $AccessRights,
        [switch] $Deny
    )
    Assert-Connected 'Remove-MailboxPermission'
    $state = Read-SimState
    Invoke-SimFault $state 'Remove-MailboxPermission' $Identity
    $mb = @(Find-SimMailbox $state $Identity)
    if ($mb.Count -ne 1) { Write-NotFound $PSCmdlet 'Mailbox' $Identity; return }
    $who = Resolve-SimPrincipal $state $User
    if (-not $who) { Write-PrincipalNotFound $PSCmdlet $User; return }
    $entries = @($state.mailboxPermissions | Where-Object { $_.Identity -eq $mb[0].PrimarySmtpAddress -and $_.User -eq $who -and -not $_.IsInherited -and [bool] $_.Deny -eq $Deny.IsPresent -and @(Compare-Object @($_.AccessRights) @($AccessRights) | Where-Object SideIndicator -eq '=>').Count -eq 0 })
    if ($entries.Count -eq 0) { throw "Remove-MailboxPermission: $User has no explicit $($AccessRights -join ',') on $Identity." }
    if ($PSCmdlet.ShouldProcess($Identity, "Remove-MailboxPermission $($AccessRights -join ',') for $User")) {
        foreach ($e in $entries) {
            $left = @(@($e.AccessRights) | Where-Object { $AccessRights -notcontains $_ })
            if ($left.Count -eq 0) { $null = $state.mailboxPermissions.Remove($e) } else { $e.AccessRights = $left }
        }
        Save-SimState $state
        Write-SimLog 'Remove-MailboxPermission' $PSBoundParameters $true
    }
}

# ---------------------------------------------------------------- recipient (SendAs) permissions

# PS-DOCS Get-RecipientPermission: -Identity (optional), -Trustee and -AccessRights filter; entries have Identity,
# Trustee, AccessControlType (Allow/Deny), AccessRights (a list), IsInherited, InheritanceType. The mailbox's own
# NT AUTHORITY\SELF SendAs entry is listed too (docs/sources.md).
function Get-RecipientPermission {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Identity, [string] $Trustee, [string[]] $AccessRights, [string] $ResultSize)
    Assert-Connected 'Get-RecipientPermission'
    $state = Read-SimState
    Invoke-SimFault $state 'Get-RecipientPermission' $Identity
    Write-SimLog 'Get-RecipientPermission' $PSBoundParameters $false
    $entries = @($state.recipientPermissions)
    if ($PSBoundParameters.ContainsKey('Identity')) {
        $r = @(Find-SimRecipient $state $Identity)
        if ($r.Count -ne 1) { Write-NotFound $PSCmdlet 'Recipient' $Identity; return }
        $key = $r[0].PrimarySmtpAddress
        $entries = @($entries | Where-Object { $_.Identity -eq $key })
    }
    if ($PSBoundParameters.ContainsKey('Trustee')) {
        # PS-DOCS Get-RecipientPermission -Trustee filters the results by who has the permission (server side); the service principal's ObjectId resolves, as for Get-MailboxPermission -User.
        $who = Resolve-SimPrincipal $state $Trustee
        if (-not $who) { Write-PrincipalNotFound $PSCmdlet $Trustee; return }
        $entries = @($entries | Where-Object { $_.Trustee -eq $who })
    }
    if ($AccessRights) { $entries = @($entries | Where-Object { @($_.AccessRights | Where-Object { $AccessRights -contains $_ }).Count -gt 0 }) }
    foreach ($p in (Select-SimResultSize $entries $ResultSize)) {
        [pscustomobject]@{
            PSTypeName        = 'Deserialized.Microsoft.Exchange.Management.RecipientTasks.RecipientPermission'
            Identity          = $p.Identity
            Trustee           = (Format-SimPrincipal $state $p.Trustee)
            AccessControlType = $p.AccessControlType
            AccessRights      = [string[]] @($p.AccessRights)
            IsInherited       = [bool] $p.IsInherited
            InheritanceType   = 'None'
        }
    }
}

# PS-DOCS Add-RecipientPermission: -Identity, -Trustee, -AccessRights (only SendAs); it asks for confirmation, which
# is why MS-OAUTH passes -Confirm:$false (ConfirmImpact High here). SILENT on granting twice: refused (strict).
function Add-RecipientPermission {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Identity,
        [Parameter(Mandatory)] [string] $Trustee,
        [Parameter(Mandatory)] [ValidateSet('SendAs')] [string[]] $AccessRights
    )
    Assert-Connected 'Add-RecipientPermission'
    $state = Read-SimState
    Invoke-SimFault $state 'Add-RecipientPermission' $Identity
    $r = @(Find-SimRecipient $state $Identity)
    if ($r.Count -ne 1) { Write-NotFound $PSCmdlet 'Recipient' $Identity; return }
    $who = Resolve-SimPrincipal $state $Trustee
    if (-not $who) { Write-PrincipalNotFound $PSCmdlet $Trustee; return }
    $key = $r[0].PrimarySmtpAddress
    if (@($state.recipientPermissions | Where-Object { $_.Identity -eq $key -and $_.Trustee -eq $who -and $_.AccessControlType -eq 'Allow' -and -not $_.IsInherited }).Count -gt 0) {
        throw "Add-RecipientPermission: $Trustee already has SendAs on $Identity (simulation: granting twice is refused)."
    }
    if ($PSCmdlet.ShouldProcess($Identity, "Add-RecipientPermission SendAs for $Trustee")) {
        $entry = @{ Identity = $key; Trustee = $who; AccessControlType = 'Allow'; AccessRights = @('SendAs'); IsInherited = $false }
        $state.recipientPermissions.Add($entry)
        Save-SimState $state
        Write-SimLog 'Add-RecipientPermission' $PSBoundParameters $true
        [pscustomobject]@{ Identity = $key; Trustee = (Format-SimPrincipal $state $who); AccessControlType = 'Allow'; AccessRights = [string[]] @('SendAs'); IsInherited = $false }
    }
}

# PS-DOCS Remove-RecipientPermission: -Identity, -Trustee, -AccessRights, -Deny; asks for confirmation.
function Remove-RecipientPermission {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Identity,
        [Parameter(Mandatory)] [string] $Trustee,
        [Parameter(Mandatory)] [ValidateSet('SendAs')] [string[]] $AccessRights,
        [switch] $Deny
    )
    Assert-Connected 'Remove-RecipientPermission'
    $state = Read-SimState
    Invoke-SimFault $state 'Remove-RecipientPermission' $Identity
    $r = @(Find-SimRecipient $state $Identity)
    if ($r.Count -ne 1) { Write-NotFound $PSCmdlet 'Recipient' $Identity; return }
    $who = Resolve-SimPrincipal $state $Trustee
    if (-not $who) { Write-PrincipalNotFound $PSCmdlet $Trustee; return }
    $type = if ($Deny) { 'Deny' } else { 'Allow' }
    $entries = @($state.recipientPermissions | Where-Object { $_.Identity -eq $r[0].PrimarySmtpAddress -and $_.Trustee -eq $who -and $_.AccessControlType -eq $type -and -not $_.IsInherited })
    if ($entries.Count -eq 0) { throw "Remove-RecipientPermission: $Trustee has no explicit SendAs on $Identity." }
    if ($PSCmdlet.ShouldProcess($Identity, "Remove-RecipientPermission SendAs for $Trustee")) {
        foreach ($e in $entries) { $null = $state.recipientPermissions.Remove($e) }
        Save-SimState $state
        Write-SimLog 'Remove-RecipientPermission' $PSBoundParameters $true
    }
}

# ---------------------------------------------------------------- CAS mailbox settings

# PS-DOCS Get-CASMailbox: ImapEnabled, PopEnabled, SmtpClientAuthenticationDisabled (blank = the organization's
# setting, PS-DOCS Set-CASMailbox -SmtpClientAuthenticationDisabled).
function Get-CASMailbox {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity)
    Assert-Connected 'Get-CASMailbox'
    $state = Read-SimState
    Invoke-SimFault $state 'Get-CASMailbox' $Identity
    Write-SimLog 'Get-CASMailbox' $PSBoundParameters $false
    $mb = @(Find-SimMailbox $state $Identity)
    if ($mb.Count -ne 1) { Write-NotFound $PSCmdlet 'Mailbox' $Identity; return }
    $m = $mb[0]
    [pscustomobject]@{
        PSTypeName                       = 'Deserialized.Microsoft.Exchange.Data.Directory.Management.CASMailbox'
        Identity                         = $m.PrimarySmtpAddress
        PrimarySmtpAddress               = $m.PrimarySmtpAddress
        ImapEnabled                      = [bool] $m.ImapEnabled
        PopEnabled                       = [bool] $m.PopEnabled
        SmtpClientAuthenticationDisabled = $m.SmtpClientAuthenticationDisabled
    }
}

# PS-DOCS Set-CASMailbox: -SmtpClientAuthenticationDisabled $true / $false / $null, -ImapEnabled, -PopEnabled.
# No confirmation by default.
function Set-CASMailbox {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Identity,
        [AllowNull()] [System.Nullable[bool]] $SmtpClientAuthenticationDisabled,
        [bool] $ImapEnabled,
        [bool] $PopEnabled
    )
    Assert-Connected 'Set-CASMailbox'
    $state = Read-SimState
    Invoke-SimFault $state 'Set-CASMailbox' $Identity
    $mb = @(Find-SimMailbox $state $Identity)
    if ($mb.Count -ne 1) { Write-NotFound $PSCmdlet 'Mailbox' $Identity; return }
    if ($PSCmdlet.ShouldProcess($Identity, 'Set-CASMailbox')) {
        foreach ($k in 'SmtpClientAuthenticationDisabled', 'ImapEnabled', 'PopEnabled') {
            if ($PSBoundParameters.ContainsKey($k)) { $mb[0][$k] = $PSBoundParameters[$k] }
        }
        Save-SimState $state
        Write-SimLog 'Set-CASMailbox' $PSBoundParameters $true
    }
}

# ---------------------------------------------------------------- groups

function Get-SimOwners($g) { if ($g.ContainsKey('ManagedBy') -and $null -ne $g.ManagedBy) { @($g.ManagedBy) } else { @() } }

function ConvertTo-SimGroup($g) {
    [pscustomobject]@{
        PSTypeName         = 'Deserialized.Microsoft.Exchange.Data.Directory.Management.WindowsGroup'
        Name               = $g.Name
        DisplayName        = $g.Name
        PrimarySmtpAddress = $g.PrimarySmtpAddress
        WindowsEmailAddress = $g.PrimarySmtpAddress
        DistinguishedName  = $g.DistinguishedName
        Identity           = $g.Name
        RecipientTypeDetails = 'MailUniversalSecurityGroup'
        ManagedBy          = [string[]] @(Get-SimOwners $g)
        Members            = [string[]] @($g.Members)
    }
}

# PS-DOCS Get-Group -Identity: "any value that uniquely identifies the group": Name, Distinguished name, Canonical DN,
# GUID — an email address is not listed, so the simulation does not resolve one; and, as the Identity caution of the
# Get- cmdlets says, a value that does not exist returns every group.
function Get-Group {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Identity)
    Assert-Connected 'Get-Group'
    $state = Read-SimState
    Invoke-SimFault $state 'Get-Group' $Identity
    Write-SimLog 'Get-Group' $PSBoundParameters $false
    $g = @($state.groups | Where-Object { $_.Name -eq $Identity -or $_.DistinguishedName -eq $Identity })
    if ($g.Count -eq 0) { $g = @($state.groups) }
    foreach ($x in $g) { ConvertTo-SimGroup $x }
}

# PS-DOCS Get-DistributionGroup -Identity: distribution groups and mail-enabled security groups (every simulated group
# is one), by Name, Alias, DN, Canonical DN, Email address or GUID; a missing one is not found.
function Get-DistributionGroup {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Identity)
    Assert-Connected 'Get-DistributionGroup'
    $state = Read-SimState
    Write-SimLog 'Get-DistributionGroup' $PSBoundParameters $false
    if (-not $PSBoundParameters.ContainsKey('Identity')) { foreach ($g in $state.groups) { ConvertTo-SimGroup $g }; return }
    $g = @(Find-SimGroup $state $Identity)
    if ($g.Count -ne 1) { Write-NotFound $PSCmdlet 'Group' $Identity; return }
    ConvertTo-SimGroup $g[0]
}

# PS-DOCS Get-DistributionGroupMember: the direct members of the group, at most -ResultSize (default 1000).
function Get-DistributionGroupMember {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $ResultSize)
    Assert-Connected 'Get-DistributionGroupMember'
    $state = Read-SimState
    Write-SimLog 'Get-DistributionGroupMember' $PSBoundParameters $false
    $g = @(Find-SimGroup $state $Identity)
    if ($g.Count -ne 1) { Write-NotFound $PSCmdlet 'Group' $Identity; return }
    foreach ($m in (Select-SimResultSize @($g[0].Members) $ResultSize)) { [pscustomobject]@{ PrimarySmtpAddress = $m; Identity = $m; Name = $m } }
}

# PS-DOCS Add-DistributionGroupMember: -Identity (the group), -Member (one recipient). SILENT in the reference; the
# service answers "already a member" with an error (MemberAlreadyExistsException), simulated as an error.
# -BypassSecurityGroupManagerCheck: without it, an admin who is not an owner of the group (ManagedBy) is refused, even
# an Organization Management member (PS-DOCS). The simulated admin is in no group's ManagedBy unless the state says so.
function Add-DistributionGroupMember {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [Parameter(Mandatory)] [string] $Member, [switch] $BypassSecurityGroupManagerCheck)
    Assert-Connected 'Add-DistributionGroupMember'
    $state = Read-SimState
    Invoke-SimFault $state 'Add-DistributionGroupMember' $Identity
    $g = @(Find-SimGroup $state $Identity)
    if ($g.Count -ne 1) { Write-NotFound $PSCmdlet 'Group' $Identity; return }
    $mb = @(Find-SimMailbox $state $Member)
    if ($mb.Count -ne 1) { Write-NotFound $PSCmdlet 'Recipient' $Member; return }
    $admin = $script:connectedAs
    if (-not $BypassSecurityGroupManagerCheck -and -not ($admin -and @(Get-SimOwners $g[0]) -contains $admin)) {
        throw "You don't have sufficient permissions. This operation can only be performed by a manager of the group (use -BypassSecurityGroupManagerCheck)."
    }
    if (@($g[0].Members) -contains $mb[0].PrimarySmtpAddress) {
        $PSCmdlet.WriteError((New-SimError "The recipient `"$Member`" is already a member of the group `"$Identity`"." 'MemberAlreadyExistsException' ResourceExists $Member))
        return
    }
    if ($PSCmdlet.ShouldProcess($Identity, "Add-DistributionGroupMember $Member")) {
        $g[0].Members = @(@($g[0].Members) + $mb[0].PrimarySmtpAddress)
        Save-SimState $state
        Write-SimLog 'Add-DistributionGroupMember' $PSBoundParameters $true
    }
}

# PS-DOCS Remove-DistributionGroupMember: -Identity (the group), -Member; asks for confirmation.
function Remove-DistributionGroupMember {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [Parameter(Mandatory)] [string] $Member, [switch] $BypassSecurityGroupManagerCheck)
    Assert-Connected 'Remove-DistributionGroupMember'
    $state = Read-SimState
    Invoke-SimFault $state 'Remove-DistributionGroupMember' $Identity
    $g = @(Find-SimGroup $state $Identity)
    if ($g.Count -ne 1) { Write-NotFound $PSCmdlet 'Group' $Identity; return }
    $mb = @(Find-SimMailbox $state $Member)
    if ($mb.Count -ne 1 -or @($g[0].Members) -notcontains $mb[0].PrimarySmtpAddress) { Write-NotFound $PSCmdlet 'Member' $Member; return }
    if ($PSCmdlet.ShouldProcess($Identity, "Remove-DistributionGroupMember $Member")) {
        $g[0].Members = @(@($g[0].Members) | Where-Object { $_ -ne $mb[0].PrimarySmtpAddress })
        Save-SimState $state
        Write-SimLog 'Remove-DistributionGroupMember' $PSBoundParameters $true
    }
}

# ---------------------------------------------------------------- management scopes

# The only filter the simulation understands is the one SMTP-RBAC documents: MemberOfGroup -eq '<group DN>', with a
# quote inside the DN doubled. SILENT whether Exchange checks that the DN exists: the simulation requires it.
function ConvertFrom-SimFilter([string] $Filter) {
    if ($Filter -match "^MemberOfGroup -eq '((?:[^']|'')*)'$") { return $Matches[1] -replace "''", "'" }
    $null
}

function Assert-SimFilter($State, [string] $Filter) {
    $dn = ConvertFrom-SimFilter $Filter
    if ($null -eq $dn) { throw "Invalid filter syntax (simulation knows only MemberOfGroup -eq '<DN>'): $Filter" }
    if (@($State.groups | Where-Object { $_.DistinguishedName -eq $dn }).Count -ne 1) { throw "The filter names a group that doesn't exist: $dn" }
}

function ConvertTo-SimScope($s) {
    [pscustomobject]@{
        PSTypeName                 = 'Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.ManagementScope'
        Name                       = $s.Name
        Identity                   = $s.Name
        # The object has RecipientFilter; RecipientRestrictionFilter is only a parameter of New-/Set-ManagementScope
        # (Exchange Server API reference: ManagementScope.RecipientFilter property; PS-DOCS Get-ManagementScope
        # examples read RecipientFilter). The property is deliberately absent: under StrictMode reading it throws.
        RecipientFilter            = $s.RecipientRestrictionFilter
        ScopeRestrictionType       = 'RecipientScope'
        Exclusive                  = $false
    }
}

# PS-DOCS Get-ManagementScope: -Identity optional (all scopes without it); a missing one is not found.
function Get-ManagementScope {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Identity)
    Assert-Connected 'Get-ManagementScope'
    $state = Read-SimState
    Invoke-SimFault $state 'Get-ManagementScope' $Identity
    Write-SimLog 'Get-ManagementScope' $PSBoundParameters $false
    if (-not $PSBoundParameters.ContainsKey('Identity')) { foreach ($s in $state.managementScopes) { ConvertTo-SimScope $s }; return }
    $s = @($state.managementScopes | Where-Object { $_.Name -eq $Identity })
    if ($s.Count -ne 1) { Write-NotFound $PSCmdlet 'ManagementScope' $Identity; return }
    ConvertTo-SimScope $s[0]
}

# PS-DOCS New-ManagementScope (RecipientFilter set): -Name "can be up to 64 characters", -RecipientRestrictionFilter.
# SILENT on a duplicate name: refused (names identify scopes).
function New-ManagementScope {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)] [string] $Name, [Parameter(Mandatory)] [string] $RecipientRestrictionFilter, [switch] $Force)
    Assert-Connected 'New-ManagementScope'
    $state = Read-SimState
    Invoke-SimFault $state 'New-ManagementScope' $Name
    if ($Name.Length -gt 64) { throw "New-ManagementScope: the name is $($Name.Length) characters; it can be up to 64." }
    if (@($state.managementScopes | Where-Object { $_.Name -eq $Name }).Count -gt 0) { throw "New-ManagementScope: a management scope named '$Name' already exists." }
    Assert-SimFilter $state $RecipientRestrictionFilter
    if ($PSCmdlet.ShouldProcess($Name, 'New-ManagementScope')) {
        $s = @{ Name = $Name; RecipientRestrictionFilter = $RecipientRestrictionFilter }
        $state.managementScopes.Add($s)
        Save-SimState $state
        Write-SimLog 'New-ManagementScope' $PSBoundParameters $true
        ConvertTo-SimScope $s
    }
}

# PS-DOCS Set-ManagementScope (RecipientFilter set): -Identity, -RecipientRestrictionFilter, -Name (same 64 limit).
function Set-ManagementScope {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $RecipientRestrictionFilter, [string] $Name, [switch] $Force)
    Assert-Connected 'Set-ManagementScope'
    $state = Read-SimState
    Invoke-SimFault $state 'Set-ManagementScope' $Identity
    $s = @($state.managementScopes | Where-Object { $_.Name -eq $Identity })
    if ($s.Count -ne 1) { Write-NotFound $PSCmdlet 'ManagementScope' $Identity; return }
    if ($PSBoundParameters.ContainsKey('Name') -and $Name.Length -gt 64) { throw "Set-ManagementScope: the name is $($Name.Length) characters; it can be up to 64." }
    if ($PSBoundParameters.ContainsKey('RecipientRestrictionFilter')) { Assert-SimFilter $state $RecipientRestrictionFilter }
    if ($PSCmdlet.ShouldProcess($Identity, 'Set-ManagementScope')) {
        if ($PSBoundParameters.ContainsKey('RecipientRestrictionFilter')) { $s[0].RecipientRestrictionFilter = $RecipientRestrictionFilter }
        if ($PSBoundParameters.ContainsKey('Name')) {
            foreach ($a in $state.managementRoleAssignments) { if ($a.CustomResourceScope -eq $s[0].Name) { $a.CustomResourceScope = $Name } }
            $s[0].Name = $Name
        }
        Save-SimState $state
        Write-SimLog 'Set-ManagementScope' $PSBoundParameters $true
    }
}

# PS-DOCS Remove-ManagementScope: asks for confirmation; a scope still used by a role assignment can't be removed
# ("You can't remove a scope that's associated with a role assignment", PS-DOCS Remove-ManagementScope DESCRIPTION).
function Remove-ManagementScope {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [switch] $Force)
    Assert-Connected 'Remove-ManagementScope'
    $state = Read-SimState
    Invoke-SimFault $state 'Remove-ManagementScope' $Identity
    $s = @($state.managementScopes | Where-Object { $_.Name -eq $Identity })
    if ($s.Count -ne 1) { Write-NotFound $PSCmdlet 'ManagementScope' $Identity; return }
    if (@($state.managementRoleAssignments | Where-Object { $_.CustomResourceScope -eq $Identity }).Count -gt 0) {
        throw "Remove-ManagementScope: the scope '$Identity' is used by a management role assignment; remove the assignment first."
    }
    if ($PSCmdlet.ShouldProcess($Identity, 'Remove-ManagementScope')) {
        $null = $state.managementScopes.Remove($s[0])
        Save-SimState $state
        Write-SimLog 'Remove-ManagementScope' $PSBoundParameters $true
    }
}

# ---------------------------------------------------------------- management role assignments

function ConvertTo-SimAssignment($State, $a) {
    # SILENT on the property that names the app in the output: RoleAssignee and RoleAssigneeName, shown as
    # principalColumn says (its ObjectId or its display name), and RoleAssigneeType ServicePrincipal are assumed.
    [pscustomobject]@{
        PSTypeName          = 'Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.ExchangeRoleAssignmentPresentation'
        Name                = $a.Name
        Identity            = $a.Name
        Role                = $a.Role
        RoleAssignee        = (Format-SimPrincipal $State $a.App)
        RoleAssigneeName    = (Format-SimPrincipal $State $a.App)
        RoleAssigneeType    = 'ServicePrincipal'
        CustomResourceScope = $a.CustomResourceScope
        Enabled             = $true
    }
}

# PS-DOCS Get-ManagementRoleAssignment: -Identity optional; a missing one is not found.
function Get-ManagementRoleAssignment {
    [CmdletBinding()]
    param([Parameter(Position = 0)] [string] $Identity, [string] $Role, [string] $RoleAssignee)
    Assert-Connected 'Get-ManagementRoleAssignment'
    $state = Read-SimState
    Invoke-SimFault $state 'Get-ManagementRoleAssignment' $Identity
    Write-SimLog 'Get-ManagementRoleAssignment' $PSBoundParameters $false
    $all = @($state.managementRoleAssignments)
    if ($PSBoundParameters.ContainsKey('Identity')) {
        $all = @($all | Where-Object { $_.Name -eq $Identity })
        if ($all.Count -ne 1) { Write-NotFound $PSCmdlet 'ManagementRoleAssignment' $Identity; return }
    }
    if ($Role) { $all = @($all | Where-Object { $_.Role -eq $Role }) }
    if ($RoleAssignee) { $all = @($all | Where-Object { $_.App -eq $RoleAssignee }) }
    foreach ($a in $all) { ConvertTo-SimAssignment $state $a }
}

# PS-DOCS New-ManagementRoleAssignment (App set): -Name "The maximum length of the name is 64 characters", -Role,
# -App: "the ObjectId GUID value from the output of the Get-ServicePrincipal cmdlet" — only the ObjectId is accepted
# here, although SMTP-RBAC's example shows an AppId (docs/sources.md); -CustomResourceScope.
function New-ManagementRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Position = 0)] [string] $Name,
        [Parameter(Mandatory)] [string] $Role,
        [Parameter(Mandatory)] [string] $App,
        [string] $CustomResourceScope,
        [switch] $Force
    )
    Assert-Connected 'New-ManagementRoleAssignment'
    $state = Read-SimState
    Invoke-SimFault $state 'New-ManagementRoleAssignment' $Name
    if (-not $Name) { throw 'New-ManagementRoleAssignment: the simulation needs -Name (real Exchange makes one up).' }
    if ($Name.Length -gt 64) { throw "New-ManagementRoleAssignment: the name is $($Name.Length) characters; the maximum length of the name is 64 characters." }
    if (@($state.managementRoleAssignments | Where-Object { $_.Name -eq $Name }).Count -gt 0) { throw "New-ManagementRoleAssignment: an assignment named '$Name' already exists." }
    if ($script:knownRoles -notcontains $Role) { throw "New-ManagementRoleAssignment: the role '$Role' doesn't exist." }
    if (@($state.servicePrincipals | Where-Object { $_.ObjectId -eq $App }).Count -ne 1) {
        throw "New-ManagementRoleAssignment: -App '$App' is not the ObjectId of a service principal (PS-DOCS: the ObjectId from Get-ServicePrincipal)."
    }
    if ($CustomResourceScope -and @($state.managementScopes | Where-Object { $_.Name -eq $CustomResourceScope }).Count -ne 1) {
        throw "New-ManagementRoleAssignment: the management scope '$CustomResourceScope' doesn't exist."
    }
    if ($PSCmdlet.ShouldProcess($Name, "New-ManagementRoleAssignment $Role")) {
        $a = @{ Name = $Name; Role = $Role; App = $App; CustomResourceScope = $CustomResourceScope }
        $state.managementRoleAssignments.Add($a)
        Save-SimState $state
        Write-SimLog 'New-ManagementRoleAssignment' $PSBoundParameters $true
        ConvertTo-SimAssignment $state $a
    }
}

# PS-DOCS Set-ManagementRoleAssignment: -CustomResourceScope can be changed; the role and the assignee cannot (no
# such parameters), so a wrong role or app means remove and create again.
function Set-ManagementRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string] $CustomResourceScope, [bool] $Enabled, [switch] $Force)
    Assert-Connected 'Set-ManagementRoleAssignment'
    $state = Read-SimState
    Invoke-SimFault $state 'Set-ManagementRoleAssignment' $Identity
    $a = @($state.managementRoleAssignments | Where-Object { $_.Name -eq $Identity })
    if ($a.Count -ne 1) { Write-NotFound $PSCmdlet 'ManagementRoleAssignment' $Identity; return }
    if ($PSBoundParameters.ContainsKey('CustomResourceScope') -and @($state.managementScopes | Where-Object { $_.Name -eq $CustomResourceScope }).Count -ne 1) {
        throw "Set-ManagementRoleAssignment: the management scope '$CustomResourceScope' doesn't exist."
    }
    if ($PSCmdlet.ShouldProcess($Identity, 'Set-ManagementRoleAssignment')) {
        if ($PSBoundParameters.ContainsKey('CustomResourceScope')) { $a[0].CustomResourceScope = $CustomResourceScope }
        Save-SimState $state
        Write-SimLog 'Set-ManagementRoleAssignment' $PSBoundParameters $true
    }
}

# PS-DOCS Remove-ManagementRoleAssignment: -Identity; asks for confirmation.
function Remove-ManagementRoleAssignment {
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param([Parameter(Mandatory, Position = 0)] [string] $Identity, [switch] $Force)
    Assert-Connected 'Remove-ManagementRoleAssignment'
    $state = Read-SimState
    Invoke-SimFault $state 'Remove-ManagementRoleAssignment' $Identity
    $a = @($state.managementRoleAssignments | Where-Object { $_.Name -eq $Identity })
    if ($a.Count -ne 1) { Write-NotFound $PSCmdlet 'ManagementRoleAssignment' $Identity; return }
    if ($PSCmdlet.ShouldProcess($Identity, 'Remove-ManagementRoleAssignment')) {
        $null = $state.managementRoleAssignments.Remove($a[0])
        Save-SimState $state
        Write-SimLog 'Remove-ManagementRoleAssignment' $PSBoundParameters $true
    }
}
