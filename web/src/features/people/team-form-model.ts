/** The team a form edits: a listed team, or the one this form has just created. */
export interface EditedTeam {
  id: string;
  name: string;
  timeZone: string;
  heads: Array<{ id: string; name: string }>;
}

export interface TeamFormValues {
  name: string;
  timeZone: string;
  /** The chosen head's user id; null: none chosen. */
  head: string | null;
}

export interface TeamSaver {
  create(body: { name: string; timeZone: string }): Promise<{ id: string; name: string; timeZone: string }>;
  update(body: { id: string; name?: string; timeZone?: string; headUserId?: string }): Promise<unknown>;
}

/**
 * Saves the team form. A new team with a head takes two requests (create, then appoint): the
 * created team is handed to `onCreated` before the appointment, so when that fails the form
 * edits the created team and a second submit appoints the head instead of creating another team.
 */
export async function saveTeamForm(team: EditedTeam | null, values: TeamFormValues, saver: TeamSaver, onCreated: (team: EditedTeam) => void): Promise<void> {
  const name = values.name.trim();
  if (team) {
    const headChanged = values.head !== null && !team.heads.some((h) => h.id === values.head);
    await saver.update({ id: team.id, name, timeZone: values.timeZone, ...(headChanged && values.head !== null ? { headUserId: values.head } : {}) });
    return;
  }
  const created = await saver.create({ name, timeZone: values.timeZone });
  onCreated({ id: created.id, name: created.name, timeZone: created.timeZone, heads: [] });
  if (values.head !== null) await saver.update({ id: created.id, headUserId: values.head });
}
