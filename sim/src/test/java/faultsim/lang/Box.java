package faultsim.lang;

import faultsim.locks.LockKind;
import faultsim.locks.Locks;
import faultsim.locks.Mutex;
import faultsim.locks.RwSemaphore;
import faultsim.locks.Seqcount;
import faultsim.locks.Spinlock;
import faultsim.locks.WaitQueue;

/** A test host object: a struct with one lock of each family, a wait queue and two fields. */
final class Box {
  final Mutex lock;
  final Spinlock spin;
  final RwSemaphore sem;
  final Seqcount seq;
  final WaitQueue wq;
  final long id;
  long value;
  boolean ready;
  Box next;
  private Object[] designFields = new Object[0];

  Box(Locks locks, long id) {
    this.id = id;
    this.lock = (Mutex) locks.create("&box->lock", LockKind.MUTEX);
    this.spin = (Spinlock) locks.create("&box->spin", LockKind.SPINLOCK);
    this.sem = (RwSemaphore) locks.create("&box->sem", LockKind.RWSEM);
    this.seq = (Seqcount) locks.create("&box->seq", LockKind.SEQCOUNT);
    this.wq = new WaitQueue(locks.machine(), "box->wq");
  }

  Object[] designFields(int size) {
    if (designFields.length < size) {
      designFields = java.util.Arrays.copyOf(designFields, size);
    }
    return designFields;
  }
}
