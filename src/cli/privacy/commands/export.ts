import { promises as fs } from 'node:fs';
import type { StreamedExport } from '../../../privacy/rights/data-rights';
import type { CliStreams } from '../../cli-io';
import type { ExportCommand } from '../command-line';
import type { PrivacyCliDeps } from '../deps';
import { withApp } from '../open-app';
import { createPrivateFile } from '../private-file';

/** `export`: the person's export file, streamed to a new private file or to stdout. */
export async function exportPerson(
  command: ExportCommand,
  deps: PrivacyCliDeps,
  io: CliStreams,
): Promise<number> {
  // Claim the file before any work: an existing file fails here, and no request is recorded.
  const file = command.out === undefined ? undefined : await createPrivateFile(command.out, '--out');
  let written: StreamedExport;
  try {
    written = await withApp(deps, (app) => {
      const subjectId = app.services.subjectIds.of(command.user.channel, command.user.userId);
      const write = file
        ? (piece: string) => file.handle.write(piece).then(() => undefined)
        : writeTo(io.stdout);
      return app.services.rights.exportTo({ subjectId, origin: 'operator' }, write);
    });
    await file?.handle.close();
  } catch (error) {
    // Half an export is still personal data: do not leave it behind.
    if (file) {
      await file.handle.close().catch(() => undefined);
      await fs.rm(file.path, { force: true });
    }
    throw error;
  }
  const where = file ? file.path : 'stdout';
  io.stderr.write(
    `export ${written.requestId}: ${written.historyCount} history entries, ${written.bytes} bytes to ${where}\n`,
  );
  return 0;
}

/** A writer that waits until the stream took each piece, so a slow pipe is not buffered whole. */
function writeTo(stream: NodeJS.WritableStream): (piece: string) => Promise<void> {
  return (piece) =>
    new Promise<void>((resolve, reject) => {
      stream.write(piece, (error) => (error ? reject(error) : resolve()));
    });
}
