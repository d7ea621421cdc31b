import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * Finds text that reaches the user without going through `l10n.t` (host) or the webview strings table.
 * It reads the source syntactically: an expression that reaches a sink (a notification, a tree item's
 * label, a webview element's text…) is followed through conditionals, `??`, local variables and calls to
 * functions declared in the scanned files, down to its leaves; a leaf that is English written in code, a
 * core `message`, Kie's raw `detail`, a model's catalog label or an OS-locale date is a leak.
 */

export interface Leak {
  file: string;
  line: number;
  sink: string;
  text: string;
  why: string;
}

/**
 * The only strings that may reach a sink without translation, each with why it is not language.
 * Matched against a whole literal, or against the static text of a template.
 */
export const NOT_LANGUAGE: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  { pattern: /^\$\([a-z0-9-]+(~spin)?\)$/, reason: 'a codicon alone (an icon, not a word)' },
  { pattern: /^https?:\/\/\S+$/, reason: 'a URL' },
  { pattern: /^(Ctrl\+Enter|⌘⏎)$/, reason: 'the keyboard shortcut as printed on the keys' },
  { pattern: /^[a-z]+(\.[a-zA-Z]+)+$/, reason: 'a dotted id (command, view, setting)' },
  { pattern: /^…$/, reason: 'the ellipsis that marks a shortened prompt' },
  { pattern: /^:+$/, reason: 'an h:mm:ss clock, written the same in every language VS Code ships' },
  { pattern: /^ \/ $/, reason: 'a count out of a maximum ("120 / 10,000")' },
  { pattern: /^ (B|KB|MB)$/, reason: 'byte units, which the Chinese UI (and VS Code) writes the same way' },
];

/** Calls whose string arguments are shown: VS Code's notification and status functions. */
const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'setStatusBarMessage', 'setStatusMessage']);
/** Our Notifier's methods (on a receiver named `…notifier`); `log.warn` & co. write the English log instead. */
const NOTIFIER_CALLS = new Set(['info', 'warn', 'error', 'confirm', 'progress']);
/** Properties whose assigned value is shown (`item.tooltip = …`, `el.textContent = …`). */
const SHOWN_ASSIGNMENTS = new Set(['label', 'description', 'tooltip', 'placeholder', 'title', 'message', 'text', 'textContent', 'innerText', 'alt']);
/**
 * Properties shown when written in a host object literal: quick pick items, input boxes, dialogs, progress,
 * tree item commands, the player's `{ label, value }` rows. (`message` and `detail` are left out: in an
 * error object they are the English log text and Kie's words, which the presentation turns into sentences.)
 */
const SHOWN_PROPERTIES = new Set(['label', 'description', 'tooltip', 'placeHolder', 'placeholder', 'prompt', 'openLabel', 'saveLabel', 'title', 'value']);
/** An object with a label is a QuickPickItem or a row: its `detail` is shown too. */
const ITEM_PROPERTIES = new Set([...SHOWN_PROPERTIES, 'detail']);
/** What the host posts to a webview that the webview shows as it is. */
const POSTED_PROPERTIES = new Set(['message', 'error', 'text']);
/** DOM attributes whose value is shown or read aloud. */
const SHOWN_ATTRIBUTES = new Set(['title', 'aria-label', 'placeholder', 'alt']);
/** Functions that produce localized text from a key or a localized template. */
const TRANSLATING_CALLS = new Set(['t', 'format', 'modelDisplayName', 'modelKindLabel']);
const MODEL_LOOKUPS = new Set(['findModel', 'findModelByApiName']);
const MODEL_TYPES = new Set(['ModelSpec']);

interface SourceInfo {
  file: string;
  sf: ts.SourceFile;
  host: boolean;
}

/** A source given as text, for checking the scanner itself. */
export function parseSource(file: string, text: string, host = true): SourceInfo {
  return { file, sf: ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true), host };
}

export function listSources(root: string): SourceInfo[] {
  const files: string[] = [path.join(root, 'src/extension.ts')];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) files.push(p);
    }
  };
  walk(path.join(root, 'src/vscode'));
  walk(path.join(root, 'src/webview'));
  return files.map((file) => ({
    file: path.relative(root, file),
    sf: ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true),
    host: !file.includes(`${path.sep}webview${path.sep}`),
  }));
}

function calleeName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

function isTranslateCall(call: ts.CallExpression): boolean {
  const name = calleeName(call.expression);
  return name !== undefined && TRANSLATING_CALLS.has(name);
}

/** A translate call proper (`t(…)`, `l10n.t(…)`), whose first argument is a bundle key. */
export function isL10nCall(call: ts.CallExpression): boolean {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text === 't';
  return ts.isPropertyAccessExpression(e) && e.name.text === 't' && /(^|\.)l10n$/.test(e.expression.getText());
}

function notLanguage(text: string): boolean {
  const trimmed = text.trim();
  // No letter and none of the punctuation that differs between languages (markdown and separators are fine).
  if (!/[\p{L}:;,.!?()"'’“”]/u.test(trimmed.replace(/^\*\*|\*\*$/g, ''))) return true;
  return NOT_LANGUAGE.some((a) => a.pattern.test(trimmed));
}

function nearestFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isFunctionLike(n) && 'body' in n) return n as ts.FunctionLikeDeclaration;
  return undefined;
}

export function scanLeaks(sources: SourceInfo[]): Leak[] {
  const leaks: Leak[] = [];
  const functions = new Map<string, ts.FunctionLikeDeclaration[]>();
  for (const { sf } of sources) {
    const visit = (n: ts.Node) => {
      let name: string | undefined;
      if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name && ts.isIdentifier(n.name)) name = n.name.text;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))) {
        name = n.name.text;
        functions.set(name, [...(functions.get(name) ?? []), n.initializer]);
        name = undefined;
      }
      if (name && (n as ts.FunctionLikeDeclaration).body) functions.set(name, [...(functions.get(name) ?? []), n as ts.FunctionLikeDeclaration]);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }

  const returnsOf = (fn: ts.FunctionLikeDeclaration): ts.Expression[] => {
    if (!fn.body) return [];
    if (!ts.isBlock(fn.body)) return [fn.body as ts.Expression];
    const out: ts.Expression[] = [];
    const visit = (n: ts.Node) => {
      if (n !== fn.body && ts.isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
    return out;
  };

  /** The values a local name may hold: its initializer and every plain assignment in its function. */
  const valuesOf = (id: ts.Identifier): ts.Expression[] | 'parameter' | undefined => {
    const fn = nearestFunction(id);
    const scope: ts.Node = fn?.body ?? id.getSourceFile();
    if (fn?.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)) return 'parameter';
    const out: ts.Expression[] = [];
    let declared = false;
    const visit = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text) {
        declared = true;
        if (n.initializer) out.push(n.initializer);
      }
      if (ts.isBinaryExpression(n) && ts.isIdentifier(n.left) && n.left.text === id.text && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) out.push(n.right);
      ts.forEachChild(n, visit);
    };
    visit(scope);
    if (!declared && fn) {
      // A module-level constant.
      const top: ts.Expression[] = [];
      for (const st of id.getSourceFile().statements) {
        if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === id.text && d.initializer) top.push(d.initializer);
      }
      return top.length ? top : undefined;
    }
    return declared ? out : undefined;
  };

  /**
   * What callers pass for a parameter of a local named function (`const row = (label, value) => …`,
   * `function tooltip(task)`). Methods are left out: their names (`info`, `warn`) are shared with the log.
   */
  const argumentsFor = (id: ts.Identifier): ts.Expression[] => {
    const fn = nearestFunction(id);
    if (!fn) return [];
    const index = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
    let name: string | undefined;
    if (ts.isFunctionDeclaration(fn) && fn.name) name = fn.name.text;
    else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
    if (!name || index < 0) return [];
    const out: ts.Expression[] = [];
    for (const { sf } of sources) {
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name && n.arguments[index]) out.push(n.arguments[index]);
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    return out;
  };

  const isModelValue = (expr: ts.Expression, depth = 0): boolean => {
    if (depth > 4) return false;
    let found = false;
    const visit = (n: ts.Node) => {
      if (found) return;
      if (ts.isCallExpression(n) && MODEL_LOOKUPS.has(calleeName(n.expression) ?? '')) found = true;
      ts.forEachChild(n, visit);
    };
    visit(expr);
    if (found) return true;
    const e = ts.isNonNullExpression(expr) || ts.isParenthesizedExpression(expr) ? expr.expression : expr;
    if (ts.isIdentifier(e)) {
      const fn = nearestFunction(e);
      const param = fn?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === e.text);
      if (param) return !!param.type && MODEL_TYPES.has(param.type.getText());
      const vals = valuesOf(e);
      return Array.isArray(vals) && vals.some((v) => isModelValue(v, depth + 1));
    }
    return false;
  };

  const fileOf = new Map(sources.map((s) => [s.sf, s.file]));
  const report = (src: SourceInfo, node: ts.Node, sink: string, why: string) => {
    const sf = node.getSourceFile();
    const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    leaks.push({ file: fileOf.get(sf) ?? src.file, line, sink, text: node.getText().slice(0, 120), why });
  };

  const judge = (src: SourceInfo, expr: ts.Expression, sink: string, seen: Set<ts.Node>): void => {
    if (seen.has(expr)) return;
    seen.add(expr);
    if (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr) || ts.isAsExpression(expr) || ts.isAwaitExpression(expr)) {
      judge(src, expr.expression, sink, seen);
      return;
    }
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
      if (!notLanguage(expr.text)) report(src, expr, sink, 'English written in code: use l10n.t / the strings table');
      return;
    }
    if (ts.isTemplateExpression(expr)) {
      const pieces = [expr.head.text, ...expr.templateSpans.map((s) => s.literal.text)].join('');
      const allowed = NOT_LANGUAGE.some((a) => a.pattern.test(pieces));
      if (!allowed && !notLanguage(pieces)) report(src, expr, sink, 'text glued in code: one sentence with placeholders instead');
      else if (!allowed && (pieces.trim() !== '' || expr.templateSpans.length > 1)) report(src, expr, sink, 'pieces glued in code: let the translation order and punctuate them');
      for (const span of expr.templateSpans) judge(src, span.expression, sink, seen);
      return;
    }
    if (ts.isConditionalExpression(expr)) {
      judge(src, expr.whenTrue, sink, seen);
      judge(src, expr.whenFalse, sink, seen);
      return;
    }
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
        judge(src, expr.left, sink, seen);
        judge(src, expr.right, sink, seen);
      } else if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        judge(src, expr.right, sink, seen);
      } else if (op === ts.SyntaxKind.PlusToken) {
        report(src, expr, sink, 'text concatenated in code: one sentence with placeholders instead');
      }
      return;
    }
    if (ts.isCallExpression(expr)) {
      if (isTranslateCall(expr)) return;
      const name = calleeName(expr.expression);
      if (name && /^toLocale(Date|Time)?String$/.test(name) && ts.isPropertyAccessExpression(expr.expression)) {
        const receiver = expr.expression.expression;
        if (ts.isNewExpression(receiver) && receiver.expression.getText() === 'Date' && expr.arguments.length === 0) {
          report(src, expr, sink, "a date in the OS locale: pass VS Code's display language (vscode.env.language)");
        }
        return;
      }
      const fns = name ? functions.get(name) : undefined;
      if (fns) for (const fn of fns) for (const r of returnsOf(fn)) judge(src, r, sink, seen);
      return;
    }
    if (ts.isPropertyAccessExpression(expr)) {
      const prop = expr.name.text;
      if (src.host && (prop === 'message' || prop === 'detail') && !/\bmsg\b/.test(expr.expression.getText())) {
        report(src, expr, sink, prop === 'message' ? 'an error message from the core (English): say it with l10n.t' : "Kie's own text shown bare: quote it in a localized sentence");
        return;
      }
      if (prop === 'label' && src.host && isModelValue(expr.expression)) {
        report(src, expr, sink, "a model's catalog label: use modelDisplayName(spec) for the localized kind");
        return;
      }
      // `presentError(…).text`: the property of what a local function returns.
      const call = expr.expression;
      if (ts.isCallExpression(call)) {
        const fns = functions.get(calleeName(call.expression) ?? '');
        for (const fn of fns ?? []) {
          for (const r of returnsOf(fn)) {
            if (!ts.isObjectLiteralExpression(r)) continue;
            for (const p of r.properties) {
              if (p.name && ts.isIdentifier(p.name) && p.name.text === prop) {
                if (ts.isPropertyAssignment(p)) judge(src, p.initializer, sink, seen);
                else if (ts.isShorthandPropertyAssignment(p)) judge(src, p.name, sink, seen);
              }
            }
          }
        }
      }
      return;
    }
    if (ts.isIdentifier(expr)) {
      const vals = valuesOf(expr);
      if (Array.isArray(vals)) for (const v of vals) judge(src, v, sink, seen);
      else if (vals === 'parameter') for (const arg of argumentsFor(expr)) judge(src, arg, sink, seen);
      return;
    }
    if (ts.isArrayLiteralExpression(expr)) {
      for (const el of expr.elements) judge(src, el, sink, seen);
      return;
    }
  };

  const judgeObject = (src: SourceInfo, obj: ts.Expression, props: Set<string>, sink: string) => {
    if (!ts.isObjectLiteralExpression(obj)) return;
    for (const p of obj.properties) {
      if (!ts.isPropertyAssignment(p) || !p.name) continue;
      const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
      if (key && props.has(key)) judge(src, p.initializer, `${sink}.${key}`, new Set());
    }
  };

  for (const src of sources) {
    const visit = (n: ts.Node) => {
      if (ts.isPropertyAccessExpression(n) && n.name.text === 'label' && src.host && !src.file.endsWith('modelName.ts') && isModelValue(n.expression)) {
        report(src, n, 'model name', "a model's catalog label read directly: use modelDisplayName(spec, t), which adds the localized kind");
      }
      if (ts.isCallExpression(n)) {
        const name = calleeName(n.expression) ?? '';
        const receiver = ts.isPropertyAccessExpression(n.expression) ? n.expression.expression.getText() : '';
        if (isL10nCall(n)) {
          const key = n.arguments[0];
          if (key && !ts.isStringLiteral(key) && !ts.isNoSubstitutionTemplateLiteral(key)) {
            report(src, key, 't()', 'a computed l10n key: no bundle can translate it, and the key check cannot see it');
          }
        } else if (MESSAGE_CALLS.has(name) || (NOTIFIER_CALLS.has(name) && /notifier$/i.test(receiver))) {
          for (const a of n.arguments) {
            if (ts.isObjectLiteralExpression(a)) judgeObject(src, a, new Set(['detail']), name);
            else if (!ts.isArrowFunction(a) && !ts.isFunctionExpression(a) && !ts.isSpreadElement(a)) judge(src, a, name, new Set());
          }
        } else if (name === 'createWebviewPanel' && n.arguments[1]) {
          judge(src, n.arguments[1], name, new Set());
        } else if (name === 'showOpenDialog' || name === 'showSaveDialog') {
          const opts = n.arguments[0];
          if (opts && ts.isObjectLiteralExpression(opts)) {
            judgeObject(src, opts, new Set(['title', 'openLabel', 'saveLabel']), name);
            for (const p of opts.properties) {
              if (!ts.isPropertyAssignment(p) || p.name.getText() !== 'filters') continue;
              const filters = ts.isIdentifier(p.initializer) ? valuesOf(p.initializer) : [p.initializer];
              for (const f of Array.isArray(filters) ? filters : []) {
                if (!ts.isObjectLiteralExpression(f)) continue;
                for (const fp of f.properties) {
                  if (fp.name && !ts.isComputedPropertyName(fp.name)) report(src, fp.name, `${name}.filters`, 'a file filter name written in code: use a computed [l10n.t(…)] key');
                }
              }
            }
          }
        } else if ((name === 'post' || name === 'postMessage') && n.arguments[0] && ts.isObjectLiteralExpression(n.arguments[0])) {
          judgeObject(src, n.arguments[0], POSTED_PROPERTIES, name);
          for (const p of n.arguments[0].properties) {
            if (ts.isPropertyAssignment(p) && p.name.getText() === 'errors' && ts.isObjectLiteralExpression(p.initializer)) {
              judgeObject(src, p.initializer, new Set(p.initializer.properties.map((q) => q.name?.getText() ?? '')), `${name}.errors`);
            }
          }
        } else if (name === 'appendText' || name === 'appendMarkdown' || name === 'report') {
          const a = n.arguments[0];
          if (a && ts.isObjectLiteralExpression(a)) judgeObject(src, a, new Set(['message']), name);
          else if (a) judge(src, a, name, new Set());
        } else if (name === 'setAttribute' && n.arguments.length === 2 && ts.isStringLiteral(n.arguments[0]) && SHOWN_ATTRIBUTES.has(n.arguments[0].text)) {
          judge(src, n.arguments[1], `setAttribute(${n.arguments[0].text})`, new Set());
        } else if (name === 'h' && !src.host && n.arguments[1] && ts.isObjectLiteralExpression(n.arguments[1])) {
          judgeObject(src, n.arguments[1], new Set(['text']), 'h');
          for (const p of n.arguments[1].properties) {
            if (ts.isPropertyAssignment(p) && p.name.getText() === 'attrs') judgeObject(src, p.initializer, SHOWN_ATTRIBUTES, 'h.attrs');
          }
        }
      } else if (ts.isNewExpression(n)) {
        const name = calleeName(n.expression) ?? '';
        // An error the host raises for the user: its `detail` is shown by the error presentation.
        if (name === 'KieError' && src.host && n.arguments?.[0]) judgeObject(src, n.arguments[0], new Set(['detail']), 'new KieError');
        if ((name === 'TreeItem' || name === 'MarkdownString') && n.arguments?.[0]) judge(src, n.arguments[0], `new ${name}`, new Set());
      } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left)) {
        const prop = n.left.name.text;
        if (SHOWN_ASSIGNMENTS.has(prop)) judge(src, n.right, `.${prop} =`, new Set());
      } else if (ts.isObjectLiteralExpression(n) && src.host) {
        const hasLabel = n.properties.some((p) => p.name?.getText() === 'label');
        judgeObject(src, n, hasLabel ? ITEM_PROPERTIES : SHOWN_PROPERTIES, 'object');
      }
      ts.forEachChild(n, visit);
    };
    visit(src.sf);
  }
  const unique = new Map(leaks.map((l) => [`${l.file}:${l.line}:${l.text}`, l]));
  return [...unique.values()];
}

/** The literal keys of every `t(…)` / `l10n.t(…)` call. */
export function l10nKeys(sources: SourceInfo[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const src of sources) {
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n) && isL10nCall(n)) {
        const key = n.arguments[0];
        if (key && (ts.isStringLiteral(key) || ts.isNoSubstitutionTemplateLiteral(key))) {
          keys.set(key.text, `${src.file}:${src.sf.getLineAndCharacterOfPosition(key.getStart()).line + 1}`);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(src.sf);
  }
  return keys;
}

export const placeholders = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
