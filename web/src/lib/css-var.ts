/** Small Svelte actions for values the strict CSP keeps out of style attributes (set through CSSOM). */

/** Set a CSS custom property on the node; null removes it. */
export function cssVar(node: HTMLElement, arg: [name: string, value: string | null]) {
  const apply = ([name, value]: [string, string | null]) => {
    if (value === null) node.style.removeProperty(name);
    else node.style.setProperty(name, value);
  };
  apply(arg);
  return { update: apply };
}
