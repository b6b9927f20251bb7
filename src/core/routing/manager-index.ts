import type { ManagerProfile } from './manager-profile.js';
import { type ManagerRuntime, createManagerRuntime } from './manager-runtime.js';

/**
 * Managers by id and by team. A manager's runtime is built on first use: a session for one
 * lead touches a few dozen of a thousand managers.
 */
export interface ManagerIndex {
  get(id: string): ManagerRuntime | undefined;
  all(): readonly ManagerRuntime[];
  team(teamId: string): readonly ManagerRuntime[];
}

export function indexManagers(profiles: readonly ManagerProfile[]): ManagerIndex {
  return new LazyManagerIndex(profiles);
}

class LazyManagerIndex implements ManagerIndex {
  private readonly positions = new Map<string, number>();
  private readonly teams = new Map<string, number[]>();
  private readonly runtimes: Array<ManagerRuntime | undefined> = [];
  private everyone: ManagerRuntime[] | null = null;

  constructor(private readonly profiles: readonly ManagerProfile[]) {
    profiles.forEach((profile, position) => {
      if (this.positions.has(profile.id)) return;
      this.positions.set(profile.id, position);
      if (profile.teamId === null) return;
      const members = this.teams.get(profile.teamId);
      if (members === undefined) this.teams.set(profile.teamId, [position]);
      else members.push(position);
    });
  }

  get(id: string): ManagerRuntime | undefined {
    const position = this.positions.get(id);
    return position === undefined ? undefined : this.at(position);
  }

  all(): readonly ManagerRuntime[] {
    this.everyone ??= [...this.positions.values()].map((position) => this.at(position));
    return this.everyone;
  }

  team(teamId: string): readonly ManagerRuntime[] {
    return (this.teams.get(teamId) ?? []).map((position) => this.at(position));
  }

  private at(position: number): ManagerRuntime {
    let runtime = this.runtimes[position];
    if (runtime === undefined) {
      runtime = createManagerRuntime(this.profiles[position] as ManagerProfile);
      this.runtimes[position] = runtime;
    }
    return runtime;
  }
}
