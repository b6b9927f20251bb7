/** Skills, regions, languages and industries already given to some manager, offered when tagging another. */
export function tagSuggestions(managers: ReadonlyArray<{ skills: string[]; regions: string[]; languages: string[]; industries: string[] }>) {
  const collect = (pick: (m: (typeof managers)[number]) => string[]) => [...new Set(managers.flatMap(pick))].sort((a, b) => a.localeCompare(b));
  return { skills: collect((m) => m.skills), regions: collect((m) => m.regions), languages: collect((m) => m.languages), industries: collect((m) => m.industries) };
}
