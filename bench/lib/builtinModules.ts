function moduleLoadList(): string[] {
  return (process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? [];
}

/** Node's internal list of loaded modules, to tell which built-ins a step loaded for the first time. */
export function loadedModules(): string[] {
  return [...moduleLoadList()];
}

/** Built-in modules loaded since `before` (a `loadedModules()` snapshot). */
export function builtinsNewSince(before: readonly string[]): string[] {
  const seen = new Set(before);
  return moduleLoadList()
    .filter((m) => !seen.has(m) && m.startsWith('NativeModule '))
    .map((m) => m.slice('NativeModule '.length));
}
