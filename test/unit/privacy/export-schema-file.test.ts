import { promises as fs } from 'node:fs';
import path from 'node:path';
import { exportJsonSchema } from '../../../src/privacy/rights/export-format';

/**
 * docs/export-format.schema.json is what people and their tools read; the zod schema is what the
 * code writes. Regenerate the file with `npm run --silent privacy -- schema > docs/export-format.schema.json`.
 */
describe('docs/export-format.schema.json', () => {
  it('is exactly the JSON Schema generated from exportFileSchema', async () => {
    const committed = await fs.readFile(
      path.join(__dirname, '../../../docs/export-format.schema.json'),
      'utf8',
    );
    expect(committed).toBe(`${JSON.stringify(exportJsonSchema(), null, 2)}\n`);
  });
});
