import { acquireInstanceLock, InstanceRunningError } from '../../src/instance-lock.js';

// Test helper process: takes the instance lock of a data directory as `npm start` does, prints the outcome as one
// JSON line, and (when it won) holds the lock until its stdin closes.
const [dataDir] = process.argv.slice(2);
try {
  const lock = await acquireInstanceLock(dataDir!, `http://127.0.0.1:1/graphql#${process.pid}`);
  console.log(JSON.stringify({ outcome: 'acquired', pid: process.pid }));
  process.stdin.resume();
  process.stdin.once('end', () => {
    lock.release();
    process.exit(0);
  });
} catch (error) {
  if (!(error instanceof InstanceRunningError)) throw error;
  console.log(JSON.stringify({ outcome: 'refused', pid: process.pid, holder: error.holder.pid, message: error.message }));
}
