import { jobList } from '../../shared/jobs';

/**
 * Runs the scheduled jobs of shared/jobs.ts in process, as EventBridge does in AWS, calling
 * each job module's `tick`. A tick never overlaps itself; a failed tick is logged and the
 * next one tries again (every job is safe to re-run).
 */
export function startScheduler(): () => Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  for (const job of jobList) {
    // Scheduled jobs, and workflow steps the host runs on a timer in place of a state machine.
    if (!('localEverySeconds' in job.trigger) || job.trigger.localEverySeconds === undefined) continue;
    const every = job.trigger.localEverySeconds * 1000;
    let busy = false;
    const run = async () => {
      if (busy) return;
      busy = true;
      try {
        const module = (await import(new URL(`../../functions/jobs/${job.handler}.ts`, import.meta.url).href)) as { tick: () => Promise<unknown> };
        const work = module.tick();
        running.add(work);
        await work.finally(() => running.delete(work));
      } catch (error) {
        console.error(`job ${job.id} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      } finally {
        busy = false;
      }
    };
    timers.push(setInterval(run, every));
  }
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await Promise.allSettled([...running]);
  };
}
