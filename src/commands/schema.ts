import type { Io } from '../io.ts';
import { manifestSchema } from '../manifest/schema.ts';

export function schemaCommand(io: Io): void {
  io.stdout.write(`${JSON.stringify(manifestSchema, null, 2)}\n`);
}
