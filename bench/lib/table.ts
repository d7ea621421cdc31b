import type { FigureResult } from './figure';

/** One figure as a Markdown table (readable in a terminal too). */
export function figureTable(fig: FigureResult): string {
  const header = ['Metric', 'Value', 'Goal', 'Result'];
  const body = fig.rows.map((r) => [r.metric, r.value, r.goal?.text ?? '', r.goal ? (r.goal.pass ? 'pass' : 'FAIL') : '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

export function figureSection(fig: FigureResult): string {
  const notes = fig.notes.map((n) => `- ${n}`).join('\n');
  return `## ${fig.title}\n\n${figureTable(fig)}\n${notes ? `\n${notes}\n` : ''}`;
}
