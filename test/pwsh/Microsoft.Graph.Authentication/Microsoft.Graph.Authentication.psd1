@{
    # A simulation of Microsoft Graph for tests; see Microsoft.Graph.Authentication.psm1. Named like the real module so
    # that `Import-Module Microsoft.Graph.Authentication` and `#Requires -Modules` resolve when the tests put test/pwsh
    # first on PSModulePath.
    RootModule        = 'Microsoft.Graph.Authentication.psm1'
    ModuleVersion     = '2.32.0'
    GUID              = '7c2a5b1e-3d4f-4a6b-9c8d-0e1f2a3b4c5d'
    Author            = 'mail-oauth-runbook tests'
    Description       = 'Simulated Microsoft Graph authentication and Invoke-MgGraphRequest backed by a JSON tenant file (tests only, never a real tenant).'
    # ConvertFrom-Json -DateKind needs PowerShell 7.5; the simulation runs under pwsh only (Windows PowerShell 5.1 is
    # simulated by decoding the script as 5.1 would, see test/helpers/graph-sim.ts).
    PowerShellVersion = '7.5'
    FunctionsToExport = @('Connect-MgGraph', 'Disconnect-MgGraph', 'Get-MgContext', 'Invoke-MgGraphRequest')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
