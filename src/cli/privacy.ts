/**
 * `npm run privacy`: the operator's tool for data-subject requests. The commands live in
 * ./privacy/; this file is the entry package.json runs and the API the tests import.
 */
import { runPrivacyCli } from './privacy/run-privacy-cli';

export { runPrivacyCli };
export type { PrivacyCliDeps } from './privacy/deps';
export { USAGE } from './privacy/usage';

if (require.main === module) {
  void runPrivacyCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
