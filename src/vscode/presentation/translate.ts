/**
 * The shape of `vscode.l10n.t` for positional arguments. Presentation helpers take it as a parameter so
 * they stay free of the `vscode` module and can be unit-tested in plain Node.
 */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;
