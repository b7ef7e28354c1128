import { exportJsonSchema } from '../../../privacy/rights/export-format';
import type { CliStreams } from '../../cli-io';
import { prettyJson } from '../format';

/** `schema`: the export file's JSON Schema, the source of docs/export-format.schema.json. */
export function printSchema(io: CliStreams): number {
  io.stdout.write(prettyJson(exportJsonSchema()));
  return 0;
}
