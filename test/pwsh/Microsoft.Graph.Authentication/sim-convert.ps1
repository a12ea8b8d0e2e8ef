# What goes over the wire and what comes back to PowerShell. Dot-sourced by Microsoft.Graph.Authentication.psm1.

# SRC FillRequestStream: an IDictionary body is serialized to JSON (its keys sent as written); a byte[] is sent as
# is; anything else is converted to a string — so a [pscustomobject] arrives as "@{...}" and Graph rejects it.
function ConvertTo-SimRequestJson($Body) {
    if ($null -eq $Body) { return $null }
    if ($Body -is [psobject]) { $Body = $Body.PSObject.BaseObject }
    if ($Body -is [System.Collections.IDictionary]) { return ConvertTo-Json -InputObject $Body -Depth 20 -Compress }
    if ($Body -is [byte[]]) { return [System.Text.Encoding]::UTF8.GetString($Body) }
    [System.Management.Automation.LanguagePrimitives]::ConvertTo($Body, [string], [cultureinfo]::InvariantCulture)
}

# Invoke-MgGraphRequest -OutputType: HashTable (the default), PSObject, Json (SDK page, -OutputType; SRC
# ProcessResponse converts the JSON response). SILENT on the hashtable's key comparison: it is built from JSON in C#,
# so it is taken as case-sensitive (a script must use Graph's camelCase names, `$r.displayName`, not
# `$r.DisplayName`), and dates stay the ISO 8601 strings Graph sends.
function ConvertTo-SimOutput($Value, [string] $OutputType) {
    switch ($OutputType) {
        'Json' { return ConvertTo-Json -InputObject $Value -Depth 20 -Compress }
        'PSObject' { return ConvertTo-SimTree $Value $false }
        default { return ConvertTo-SimTree $Value $true }
    }
}

function ConvertTo-SimTree($Value, [bool] $AsHashtable) {
    if ($Value -is [System.Collections.IDictionary]) {
        if ($AsHashtable) {
            $h = [hashtable]::new([System.StringComparer]::Ordinal)
            foreach ($k in $Value.Keys) { $h[$k] = ConvertTo-SimTree $Value[$k] $true }
            return $h
        }
        $o = [ordered]@{}
        foreach ($k in $Value.Keys) { $o[$k] = ConvertTo-SimTree $Value[$k] $false }
        return [pscustomobject] $o
    }
    if ($Value -is [System.Collections.IList]) { return , [object[]] @(foreach ($v in $Value) { ConvertTo-SimTree $v $AsHashtable }) }
    $Value
}

# The SDK cmdlets return typed models (Microsoft.Graph.PowerShell.Models.MicrosoftGraphApplication, ...): PascalCase
# properties (PowerShell's member access is case-insensitive on them), DateTime for the *DateTime properties, nested
# models for complex properties, and AdditionalProperties for what the model does not declare (@odata.context).
function ConvertTo-SimSdkObject($Value, [string] $Type) {
    if ($Value -is [System.Collections.IDictionary]) {
        $o = [ordered]@{}
        if ($Type) { $o.PSTypeName = "Microsoft.Graph.PowerShell.Models.$Type" }
        $extra = @{}
        foreach ($k in $Value.Keys) {
            if ($k.StartsWith('@')) { $extra[$k] = $Value[$k]; continue }
            $v = $Value[$k]
            if ($v -is [string] -and ($k -like '*DateTime' -or $k -eq 'creationTimestamp')) {
                $v = [DateTimeOffset]::Parse($v, [cultureinfo]::InvariantCulture).UtcDateTime
            } else { $v = ConvertTo-SimSdkObject $v '' }
            $o[$k.Substring(0, 1).ToUpperInvariant() + $k.Substring(1)] = $v
        }
        if ($Type) { $o.AdditionalProperties = $extra }
        return [pscustomobject] $o
    }
    if ($Value -is [System.Collections.IList]) { return , [object[]] @(foreach ($v in $Value) { ConvertTo-SimSdkObject $v '' }) }
    $Value
}

# The SDK cmdlets take hashtables for complex parameters (-RequiredResourceAccess @{ ResourceAppId = ...}) and bind
# their keys case-insensitively to the model's properties; a key the model does not know is kept as an additional
# property and sent as written. This turns such a value into the JSON names Graph expects.
$script:modelNames = 'displayName', 'signInAudience', 'requiredResourceAccess', 'resourceAppId', 'resourceAccess', 'id', 'type', 'web',
'redirectUris', 'homePageUrl', 'logoutUrl', 'implicitGrantSettings', 'enableAccessTokenIssuance', 'enableIdTokenIssuance', 'identifierUris',
'tags', 'description', 'notes', 'passwordCredential', 'passwordCredentials', 'startDateTime', 'endDateTime', 'keyId', 'appId', 'accountEnabled',
'appRoleAssignmentRequired', 'principalId', 'resourceId', 'appRoleId'

function ConvertTo-SimModel($Value) {
    if ($Value -is [psobject] -and $Value -isnot [string] -and $Value.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
        $h = [ordered]@{}
        foreach ($p in $Value.PSObject.Properties) { $h[$p.Name] = $p.Value }
        $Value = $h
    }
    if ($Value -is [System.Collections.IDictionary]) {
        $o = [ordered]@{}
        foreach ($k in $Value.Keys) {
            $name = @($script:modelNames | Where-Object { $_ -eq $k })
            $o[$(if ($name.Count) { $name[0] } else { [string] $k })] = ConvertTo-SimModel $Value[$k]
        }
        return $o
    }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [cultureinfo]::InvariantCulture) }
    if ($Value -is [DateTimeOffset]) { return $Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [cultureinfo]::InvariantCulture) }
    if ($Value -is [System.Collections.IList]) { return , [object[]] @(foreach ($v in $Value) { ConvertTo-SimModel $v }) }
    $Value
}
