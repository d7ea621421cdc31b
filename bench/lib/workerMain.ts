/** Runs a worker's main and exits: 0 when it resolved, 1 (with the error on stderr) when it threw. */
export function runWorkerMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
