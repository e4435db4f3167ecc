// Which launcher started this process, told from the variables it sets. An
// addon built against one MPI and started by another MPI's launcher does not
// fail: every rank comes up as a world of its own, one rank each. Knowing the
// launcher lets the loader refuse such an addon before MPI starts, and the
// start-up catch the one-rank worlds that slip through (a scheduler's launcher).

/** The MPI families whose launchers and libraries must match. */
export type MpiFamily = 'Open MPI' | 'MPICH';

export interface Launcher {
  /** Who started the ranks, for messages: "Open MPI's mpirun", "MPICH's mpiexec (Hydra)", "Slurm's srun". */
  name: string;
  /** The MPI library the launcher works with, when that is certain. */
  family?: MpiFamily;
  /** The number of ranks it started, when it says. */
  size?: number;
  /** This process's rank, when it says. */
  rank?: number;
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * The launcher of this process, or null when none (a plain `node`): Open
 * MPI's mpirun sets OMPI_COMM_WORLD_*; MPICH's Hydra sets PMI_SIZE/PMI_RANK
 * and MPI_LOCALNRANKS (srun's PMI plugins do not); Slurm's srun sets SLURM_STEP_NUM_TASKS/SLURM_PROCID
 * (and, by its MPI plugin, PMI_* or PMIX_*, so its library is not certain);
 * other PMIx launchers set PMIX_RANK only.
 */
export function launcherFromEnv(env: NodeJS.ProcessEnv = process.env): Launcher | null {
  if (env.OMPI_COMM_WORLD_SIZE !== undefined) {
    return {
      name: "Open MPI's mpirun",
      family: 'Open MPI',
      size: count(env.OMPI_COMM_WORLD_SIZE),
      rank: count(env.OMPI_COMM_WORLD_RANK),
    };
  }
  // Before Slurm's: inside an allocation Hydra starts its proxies with srun.
  if (env.PMI_SIZE !== undefined && env.MPI_LOCALNRANKS !== undefined) {
    return {
      name: "MPICH's mpiexec (Hydra)",
      family: 'MPICH',
      size: count(env.PMI_SIZE),
      rank: count(env.PMI_RANK),
    };
  }
  if (env.SLURM_STEP_NUM_TASKS !== undefined && env.SLURM_PROCID !== undefined) {
    return { name: "Slurm's srun", size: count(env.SLURM_STEP_NUM_TASKS), rank: count(env.SLURM_PROCID) };
  }
  if (env.PMI_SIZE !== undefined || env.PMIX_RANK !== undefined) {
    return { name: 'a PMI launcher', size: count(env.PMI_SIZE), rank: count(env.PMI_RANK ?? env.PMIX_RANK) };
  }
  return null;
}

/** The family of an implementation name (the addon's IMPLEMENTATION, or mpirun's flavour); Intel MPI is MPICH's. */
export function familyOf(implementation: string): MpiFamily | undefined {
  if (implementation === 'Open MPI') return 'Open MPI';
  if (implementation === 'MPICH' || implementation === 'Intel MPI') return 'MPICH';
  return undefined;
}

/** The launcher commands of each family, for saying which one to use. */
const LAUNCH_COMMAND: Record<MpiFamily, string> = {
  'Open MPI': 'mpirun.openmpi',
  MPICH: 'mpiexec.mpich',
};

/** How to put an addon for `family` in place, or to launch the one there is. */
export function mismatchFix(family: MpiFamily | undefined, addonFamily: MpiFamily | undefined): string {
  const rebuild = family
    ? `rebuild the addon against ${family} (with its mpicc first on PATH, or MPICC set: ` +
      '`npm rebuild mpi-loop`, or `node scripts/build-addon.js <folder>` and MPI_LOOP_ADDON=<folder>)'
    : "rebuild the addon against the launcher's MPI (`npm rebuild mpi-loop` with its mpicc first on PATH)";
  const relaunch = addonFamily
    ? `launch with ${addonFamily}'s own launcher (${LAUNCH_COMMAND[addonFamily]})`
    : "launch with the addon's own MPI's mpirun";
  return `${rebuild}, or ${relaunch}`;
}

/**
 * Why an addon built against `implementation` cannot run under `launcher`
 * (both families known and different), else null.
 */
export function loadMismatch(implementation: string, launcher: Launcher | null): string | null {
  const addonFamily = familyOf(implementation);
  if (!launcher?.family || !addonFamily || addonFamily === launcher.family) return null;
  return (
    `mpi-loop: the addon is built against ${addonFamily}, but ${launcher.name} started this process: ` +
    `each rank would run as a one-rank world of its own. To fix: ${mismatchFix(launcher.family, addonFamily)}.`
  );
}

/**
 * Why a world of `worldSize` ranks means the launcher and the library do not
 * match (the launcher started several ranks, MPI sees one), else null.
 */
export function worldMismatch(worldSize: number, implementation: string, launcher: Launcher | null): string | null {
  if (worldSize !== 1 || !launcher) return null;
  const several = (launcher.size ?? 1) > 1 || (launcher.rank ?? 0) > 0;
  if (!several) return null;
  const started = launcher.size !== undefined ? `${launcher.size} ranks` : 'several ranks';
  const which = launcher.rank !== undefined ? ` (this is its rank ${launcher.rank})` : '';
  return (
    `mpi-loop: ${launcher.name} started ${started}${which}, but MPI (${implementation}) sees a world of one rank: ` +
    `the launcher and the MPI library do not match. To fix: ${mismatchFix(launcher.family, familyOf(implementation))}.`
  );
}
