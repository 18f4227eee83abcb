// Aligned plain-text tables for `stats` and `demo`: columns padded to their
// widest cell, numbers right-aligned, no box drawing so output pastes cleanly.
import type { Colors } from "./color.js";

export interface TableColumn {
  readonly header: string;
  /** Default "left". Numbers read best right-aligned. */
  readonly align?: "left" | "right";
}

const GAP = "  ";

/**
 * Renders `rows` under `columns` as lines joined by "\n" (no trailing newline).
 * Widths are measured on the plain text in code points; colors (if any) are
 * applied to the header only, after padding, so alignment never depends on them.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], colors?: Colors): string {
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...rows.map((row) => width(row[index] ?? ""))),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, index) => pad(cells[index] ?? "", widths[index] ?? 0, column.align ?? "left"))
      .join(GAP)
      .trimEnd();
  const header = line(columns.map((column) => column.header));
  const rule = widths.map((w) => "-".repeat(w)).join(GAP);
  return [colors ? colors.bold(header) : header, rule, ...rows.map(line)].join("\n");
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, target: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, target - width(text)));
  return align === "right" ? fill + text : text + fill;
}
