/**
 * Task commands are invoked from the palette (no argument), from tree items (the element: a task id),
 * from notifications and from tests (a task id string). This reads the id out of whichever it was.
 */
export function taskIdArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.trim()) return arg.trim();
  if (typeof arg === 'object' && arg !== null) {
    const id = (arg as { id?: unknown }).id;
    if (typeof id === 'string' && id.trim()) return id.trim();
  }
  return undefined;
}
