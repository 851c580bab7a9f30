/**
 * The change list as a tree: nested rows name their parent row, and a collapsed parent hides
 * everything under it, however deep.
 */
import type { ChangeRow } from '../../src/shared/viewModel';

export class ChangeTree {
  private parents = new Map<string, string>();
  private childCounts = new Map<string, number>();
  /** Some row is nested: the table draws the tree. */
  nested = false;
  private readonly collapsed = new Set<string>();

  setRows(rows: readonly ChangeRow[]): void {
    this.parents = new Map();
    this.childCounts = new Map();
    const known = new Set(rows.map((row) => row.logicalId));
    for (const row of rows) {
      // A parent missing from the list cannot be collapsed or shown: the row stands at the top.
      if (!row.parent || !known.has(row.parent)) continue;
      this.parents.set(row.logicalId, row.parent);
      this.childCounts.set(row.parent, (this.childCounts.get(row.parent) ?? 0) + 1);
    }
    this.nested = this.parents.size > 0 || rows.some((row) => (row.depth ?? 0) > 0);
  }

  children(id: string): number {
    return this.childCounts.get(id) ?? 0;
  }

  parentOf(id: string): string | undefined {
    return this.parents.get(id);
  }

  isCollapsed(id: string): boolean {
    return this.collapsed.has(id);
  }

  setCollapsed(id: string, collapsed: boolean): void {
    if (collapsed) this.collapsed.add(id);
    else this.collapsed.delete(id);
  }

  expandAll(): void {
    this.collapsed.clear();
  }

  /** Some row above it is collapsed. */
  isHidden(id: string): boolean {
    const seen = new Set<string>();
    for (let parent = this.parents.get(id); parent !== undefined && !seen.has(parent); parent = this.parents.get(parent)) {
      if (this.collapsed.has(parent)) return true;
      seen.add(parent);
    }
    return false;
  }
}
