/**
 * VS Code renders `[label](https:…)`, `[label](command:…)` and `[label](file:…)` in a notification as
 * a link showing only the label, so text from outside (Kie's failMsg and msg, prompts, file names)
 * could turn into a button that runs a command. A zero-width space between `]` and `(` keeps it plain
 * text that reads the same. Applying it twice changes nothing.
 */
export function plainNotificationText(text: string): string {
  return text.replace(/\]\(/g, ']\u200b(');
}
