// Preloaded into bitro-api by `npm run bench -- --profile` (node --import): the first SIGWINCH starts a CPU profile,
// the second writes it to BENCH_CPU_PROFILE. So the profile covers the redemption run, not start-up. (SIGWINCH
// because Nest's shutdown hooks take SIGUSR2, and SIGUSR1 starts Node's inspector.)
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
let running = false;

function write(profile) {
  const file = process.env.BENCH_CPU_PROFILE;
  writeFileSync(`${file}.tmp`, JSON.stringify(profile));
  renameSync(`${file}.tmp`, file);
}

process.on('SIGWINCH', () => {
  const step = running
    ? post('Profiler.stop').then(({ profile }) => write(profile))
    : post('Profiler.enable').then(() => post('Profiler.start'));
  running = !running;
  step.catch((error) => console.error(`cpu profile: ${error.message}`));
});
