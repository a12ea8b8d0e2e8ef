import schemaJson from '../../schemas/manifest.schema.json' with { type: 'json' };

/** The manifest JSON Schema, bundled into the CLI so no file lookup happens at run time. */
export const manifestSchema: Record<string, unknown> = schemaJson;
