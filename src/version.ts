import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './paths.ts';

declare const VERSION: string;

/** The tool's version: set by the build; from package.json when running from src/ (tests), so both agree. */
export const toolVersion: string =
  typeof VERSION === 'string'
    ? VERSION
    : (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
