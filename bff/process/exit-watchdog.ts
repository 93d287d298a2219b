import { Worker } from 'node:worker_threads';

/**
 * The last line of defence of shutdown (issue 17): a timer on its own thread that SIGKILLs this process after
 * `ms`, whatever its main thread is doing. A setTimeout on the main thread cannot fire while that thread is
 * blocked (a synchronous write to a dead pipe sat in a futex wait forever); a worker thread's timer can, and
 * `process.kill` from it is a plain system call. Arm it before anything that could block.
 */
export function armExitWatchdog(ms: number): void {
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);`,
    // No --import tsx in the worker: it runs plain JavaScript and should start fast.
    { eval: true, execArgv: [], workerData: { ms, pid: process.pid }, stdout: true, stderr: true },
  );
  // It must not keep a process alive that is otherwise done, and the process exits without waiting for it.
  worker.unref();
}
