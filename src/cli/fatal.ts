/** A failure as one line for the terminal: the message only, never a stack trace or a connection string's password. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.replace(/postgres(ql)?:\/\/[^@\s]*@/g, "postgres://***@") ?? "unknown error";
}

/** Runs a command-line entry point: exit 0 on success, one line on stderr and exit 1 on failure. */
export function runCli(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${name}: ${oneLine(error)}\n`);
      process.exit(1);
    },
  );
}
