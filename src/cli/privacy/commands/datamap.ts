import { type AppConfig, loadConfig } from '../../../config/config';
import {
  type ProcessingRecord,
  controllerOf,
  processorsOf,
  recordsOfProcessing,
} from '../../../privacy/records-of-processing';
import type { CliStreams } from '../../cli-io';
import type { DataMapCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { prettyJson } from '../format';

/** `datamap`: the records of processing, from the configuration alone (no database). */
export function printDataMap(command: DataMapCommand, deps: PrivacyCliDeps, io: CliStreams): number {
  const config = loadConfig(deps.env ?? process.env);
  const rows = recordsOfProcessing(config);
  io.stdout.write(command.json ? prettyJson(rows) : formatDataMap(rows, config));
  return 0;
}

function formatDataMap(rows: readonly ProcessingRecord[], config: AppConfig): string {
  const blocks = rows.map((row) =>
    [
      `${row.collection}: ${row.category}`,
      `  fields:       ${row.fields.join(', ')}`,
      `  purpose:      ${row.purpose}`,
      `  legal basis:  ${row.legalBasis}`,
      `  retention:    ${row.retention}`,
      `  protection:   ${row.protection}`,
    ].join('\n'),
  );
  const controller = controllerOf(config);
  const processors = processorsOf(config).map((processor) =>
    processor.role ? `${processor.name} (${processor.role})` : processor.name,
  );
  const title = [
    `Records of processing (GDPR Art. 30). Privacy contact: ${config.privacy.contact}`,
    `controller:   ${controller.name}, ${controller.address}`,
    `processors:   ${processors.length > 0 ? processors.join('; ') : 'none'}`,
  ].join('\n');
  return `${[title, ...blocks].join('\n\n')}\n`;
}
