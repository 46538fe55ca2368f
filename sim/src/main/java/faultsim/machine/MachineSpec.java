package faultsim.machine;

/**
 * The shape of a simulated machine.
 *
 * @param cores number of CPUs
 * @param sockets number of sockets (must divide {@code cores}); cores 0..k-1 are socket 0, ...
 * @param spinlock ticket or queued spinlocks
 * @param spinOnOwner whether mutex and rwsem writers spin while the owner runs
 *     ({@code CONFIG_MUTEX_SPIN_ON_OWNER}, {@code CONFIG_RWSEM_SPIN_ON_OWNER}; on by default)
 * @param costs the cost profile
 */
public record MachineSpec(
    int cores, int sockets, SpinlockKind spinlock, boolean spinOnOwner, CostProfile costs) {

  public MachineSpec {
    if (cores < 1) {
      throw new IllegalArgumentException("a machine needs at least 1 core, was " + cores);
    }
    if (sockets < 1 || cores % sockets != 0) {
      throw new IllegalArgumentException("sockets must be >= 1 and divide the core count; "
          + cores + " cores, " + sockets + " sockets");
    }
    if (spinlock == null || costs == null) {
      throw new IllegalArgumentException("spinlock kind and cost profile are required");
    }
  }

  /** One socket, queued spinlocks, spinning on owner, default costs. */
  public static MachineSpec of(int cores) {
    return new MachineSpec(cores, 1, SpinlockKind.QUEUED, true, CostProfile.DEFAULT);
  }

  public MachineSpec withCosts(CostProfile c) {
    return new MachineSpec(cores, sockets, spinlock, spinOnOwner, c);
  }

  public MachineSpec withSpinlock(SpinlockKind k) {
    return new MachineSpec(cores, sockets, k, spinOnOwner, costs);
  }

  public MachineSpec withSpinOnOwner(boolean spin) {
    return new MachineSpec(cores, sockets, spinlock, spin, costs);
  }

  public MachineSpec withCores(int n, int s) {
    return new MachineSpec(n, s, spinlock, spinOnOwner, costs);
  }
}
