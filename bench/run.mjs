// `npm run bench`: every part prints its own table; each part is bounded and stops by itself.
import { pipelineBench, dedupBench } from './inprocess.mjs';
import os from 'node:os';

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${os.cpus().length} x ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString()}\n`);

console.log('Part 1: pipeline cost per event, in process (verify + parse + split + dedup + normalise) vs the floor (HMAC-SHA256 + JSON.parse of the same bytes)\n');
console.log(pipelineBench().text);
console.log('\nPart 2: dedup window (static data size and per-event cost)\n');
console.log(dedupBench().text);
