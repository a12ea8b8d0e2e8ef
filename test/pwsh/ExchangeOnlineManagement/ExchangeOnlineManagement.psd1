@{
    # A simulation of Exchange Online for tests; see ExchangeOnlineManagement.psm1. Named like the real module so that
    # `#Requires -Modules ExchangeOnlineManagement` resolves when the tests put this folder first on PSModulePath.
    RootModule        = 'ExchangeOnlineManagement.psm1'
    ModuleVersion     = '3.9.0'
    GUID              = '5f4b1d7e-2a3c-4e8f-9b0a-1c2d3e4f5a6b'
    Author            = 'mail-oauth-runbook tests'
    Description       = 'Simulated Exchange Online cmdlets backed by a JSON tenant file (tests only, never a real tenant).'
    PowerShellVersion = '5.1'
    FunctionsToExport = @(
        'Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation', 'Get-AcceptedDomain',
        'Get-ServicePrincipal', 'New-ServicePrincipal', 'Remove-ServicePrincipal', 'Test-ServicePrincipalAuthorization',
        'Get-MailboxPermission', 'Add-MailboxPermission', 'Remove-MailboxPermission',
        'Get-RecipientPermission', 'Add-RecipientPermission', 'Remove-RecipientPermission',
        'Get-CASMailbox', 'Set-CASMailbox',
        'Get-Group', 'Get-DistributionGroup', 'Get-DistributionGroupMember', 'Add-DistributionGroupMember', 'Remove-DistributionGroupMember',
        'Get-ManagementScope', 'New-ManagementScope', 'Set-ManagementScope', 'Remove-ManagementScope',
        'Get-ManagementRoleAssignment', 'New-ManagementRoleAssignment', 'Set-ManagementRoleAssignment', 'Remove-ManagementRoleAssignment'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
