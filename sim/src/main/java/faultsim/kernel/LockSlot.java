package faultsim.kernel;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.locks.Locks;

/**
 * A lock field of a kernel structure, created on first use so that only the locks a design
 * actually takes appear in lock_stat. The class name is the lockdep name of the field.
 */
final class LockSlot {
  private final String className;
  private final LockKind kind;
  private Lock lock;

  LockSlot(String className, LockKind kind) {
    this.className = className;
    this.kind = kind;
  }

  Lock get(Locks locks) {
    if (lock == null) {
      // Made in creation order, never ahead of the clock; an event caught up with may make it.
      faultsim.machine.Speculation.catchUpAhead(locks.machine().speculation());
    }
    if (lock == null) {
      lock = locks.create(className, kind);
    }
    return lock;
  }

  /** The lock if it has been created, else null (looking must not create it). */
  Lock peek() {
    return lock;
  }

  String className() {
    return className;
  }

  LockKind kind() {
    return kind;
  }
}
