/** The nav of a settings screen: sections, grouped under headings in the order given. */

export interface SettingsSection {
  id: string;
  label: string;
  /** Heading the section is listed under; consecutive sections with the same group share it. */
  group?: string;
  /** Drawn in the danger colour (sign out, delete…). */
  danger?: boolean;
}

export interface SectionGroup {
  label: string | undefined;
  sections: SettingsSection[];
}

/** Split sections into runs of the same group, keeping their order. */
export function groupSections(sections: readonly SettingsSection[]): SectionGroup[] {
  const out: SectionGroup[] = [];
  for (const s of sections) {
    const last = out[out.length - 1];
    if (last && last.label === s.group) last.sections.push(s);
    else out.push({ label: s.group, sections: [s] });
  }
  return out;
}
