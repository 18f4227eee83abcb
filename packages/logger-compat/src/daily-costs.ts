// The legacy `daily_costs` table, kept up to date row by row: one group per
// UTC date, agent, tool and model, added to as each invocation is indexed
// (in log order), with exact cost sums, so the rows a query returns do not
// depend on which queries came before.
import { DecimalSum } from "@telemetry/reader";

/** One row of the legacy `daily_costs` table. */
export interface DailyCostRow {
  /** UTC calendar date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly agent_name: string | null;
  readonly tool_name: string;
  readonly model_name: string;
  readonly invocations: number;
  readonly total_tokens: number;
  readonly total_cost_usd: number;
}

/** An invocation's group (names as small integers; agent -1 for none) and its figures. */
export interface DailyCostInput {
  readonly agent: number;
  readonly tool: number;
  readonly model: number;
  readonly tokens: number;
  readonly cost: number;
}

interface Group {
  readonly agent: number;
  readonly tool: number;
  readonly model: number;
  invocations: number;
  tokens: number;
  readonly cost: DecimalSum;
}

/**
 * The groups of one UTC date. Rows come out with the group first seen last
 * in front: what the legacy query returned for the rows of one date (its
 * index scan ran backwards over insertion order). Invocations without an
 * agent form one group per tool and model; the legacy table kept one row
 * per such invocation (NULLs never compare equal in its primary key), and
 * merging them is a deliberate fix.
 */
export class DayCosts {
  /** agent -> tool -> model -> group: integer keys, nothing to encode. */
  readonly #tree = new Map<number, Map<number, Map<number, Group>>>();
  readonly #groups: Group[] = [];

  add(input: DailyCostInput): void {
    let tools = this.#tree.get(input.agent);
    if (tools === undefined) this.#tree.set(input.agent, (tools = new Map<number, Map<number, Group>>()));
    let models = tools.get(input.tool);
    if (models === undefined) tools.set(input.tool, (models = new Map<number, Group>()));
    let group = models.get(input.model);
    if (group === undefined) {
      group = { agent: input.agent, tool: input.tool, model: input.model, invocations: 0, tokens: 0, cost: new DecimalSum() };
      models.set(input.model, group);
      this.#groups.push(group);
    }
    group.invocations++;
    group.tokens += input.tokens;
    group.cost.add(input.cost);
  }

  /** The date's rows, newest group first; `agent` keeps only that agent's. */
  rows(date: string, name: (id: number) => string, agent?: number): DailyCostRow[] {
    const out: DailyCostRow[] = [];
    for (let i = this.#groups.length - 1; i >= 0; i--) {
      const group = this.#groups[i]!;
      if (agent !== undefined && group.agent !== agent) continue;
      out.push(
        Object.freeze({
          date,
          agent_name: group.agent < 0 ? null : name(group.agent),
          tool_name: name(group.tool),
          model_name: name(group.model),
          invocations: group.invocations,
          total_tokens: group.tokens,
          total_cost_usd: group.cost.value,
        }),
      );
    }
    return out;
  }
}
