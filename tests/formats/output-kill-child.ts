/**
 * Child process of `output-kill.test.ts`: writes an output folder and kills itself with SIGKILL at the
 * given step (its `nth` occurrence), as a user's Ctrl-\ or an out-of-memory kill would.
 * Usage: node --import tsx output-kill-child.ts <outDir> <content> <step|never> <nth>
 */
import { writeOutputsAtomically, type OutputStep } from '../../src/formats/output.ts';

const [outDir, content, killAt, nth] = process.argv.slice(2);
let seen = 0;
const files = new Map<string, string>([
  ['results.csv', content],
  ['build.json', `{"v":"${content}"}`],
  ['report.html', content],
]);
await writeOutputsAtomically(outDir, files, {
  onStep: (step: OutputStep) => {
    if (step === killAt && ++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  },
});
