/** SPEC §3: the assessment segment. Stored on the contact and passed to templates. */

export const SEGMENTS = ['CRITICAL', 'URGENT', 'OPTIMIZE'] as const;
export type Segment = (typeof SEGMENTS)[number];

export function classifySegment(counts: { red_systems: number; orange_systems: number }): Segment {
  if (counts.red_systems >= 2) return 'CRITICAL';
  if (counts.red_systems === 1 || counts.orange_systems >= 2) return 'URGENT';
  return 'OPTIMIZE';
}
