/** Variable scopes with Pebble's ScopeChain semantics (io/pebbletemplates/pebble/template/ScopeChain.java). */
import { hasKey } from './values.js';

export class Scopes {
  private readonly overrides = new Map<string, unknown>();
  private readonly stack: Map<string, unknown>[] = [];

  constructor(private readonly root: Record<string, unknown>) {}

  lookup(name: string): { found: boolean; value: unknown } {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const scope = this.stack[i]!;
      if (scope.has(name)) return { found: true, value: scope.get(name) ?? null };
    }
    if (this.overrides.has(name)) return { found: true, value: this.overrides.get(name) ?? null };
    if (hasKey(this.root, name)) return { found: true, value: this.root[name] ?? null };
    return { found: false, value: null };
  }

  push(): Map<string, unknown> {
    const scope = new Map<string, unknown>();
    this.stack.push(scope);
    return scope;
  }

  pop(): void {
    this.stack.pop();
  }

  /** ScopeChain.set: update the innermost scope that has the name, else create it in the innermost. */
  set(name: string, value: unknown): void {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const scope = this.stack[i]!;
      if (scope.has(name)) {
        scope.set(name, value);
        return;
      }
    }
    if (this.overrides.has(name) || hasKey(this.root, name) || this.stack.length === 0) {
      this.overrides.set(name, value);
      return;
    }
    this.stack[this.stack.length - 1]!.set(name, value);
  }
}
