/** Puts each of `defaults` into `env` where it is unset (a value the user set is kept); returns the names set. */
export function applyEnvDefaults(defaults: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): string[] {
  const set: string[] = [];
  for (const [name, value] of Object.entries(defaults)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
