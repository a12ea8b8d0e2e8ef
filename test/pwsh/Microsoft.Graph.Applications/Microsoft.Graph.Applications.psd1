@{
    # A simulation of Microsoft Graph's Applications module for tests; see Microsoft.Graph.Applications.psm1. Like the
    # real module it requires Microsoft.Graph.Authentication, whose simulated service it calls.
    RootModule        = 'Microsoft.Graph.Applications.psm1'
    ModuleVersion     = '2.32.0'
    GUID              = '8d3b6c2f-4e5a-4b7c-8d9e-1f2a3b4c5d6e'
    Author            = 'mail-oauth-runbook tests'
    Description       = 'Simulated Microsoft Graph application cmdlets backed by a JSON tenant file (tests only, never a real tenant).'
    PowerShellVersion = '7.5'
    RequiredModules   = @(@{ ModuleName = 'Microsoft.Graph.Authentication'; ModuleVersion = '2.32.0' })
    FunctionsToExport = @(
        'Get-MgApplication', 'Get-MgApplicationByAppId', 'New-MgApplication', 'Update-MgApplication', 'Remove-MgApplication',
        'Add-MgApplicationPassword', 'Remove-MgApplicationPassword',
        'Get-MgServicePrincipal', 'Get-MgServicePrincipalByAppId', 'New-MgServicePrincipal', 'Remove-MgServicePrincipal',
        'Get-MgServicePrincipalAppRoleAssignment', 'New-MgServicePrincipalAppRoleAssignment', 'Remove-MgServicePrincipalAppRoleAssignment'
    )
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
