package faultsim.fault;

import faultsim.lang.Host;
import faultsim.lang.Type;
import faultsim.locks.LockKind;

/**
 * The kernel model's types as the primitives' registrations use them: the host they are added
 * to, the lock types and the modelled structs, with their cursors.
 */
record KernelTypes(Host h, Type spinlock, Type mutex, Type rwsem, Type seqcount, Type waitQueue,
    Type mm, Type vma, Type mapping, Type folio, Type vmf, Type folioCursor, Type vmaCursor) {

  /** The host type of a lock family. */
  Type lockType(LockKind k) {
    return switch (k) {
      case SPINLOCK -> spinlock;
      case MUTEX -> mutex;
      case RWSEM -> rwsem;
      case SEQCOUNT -> seqcount;
      case RWLOCK -> h.type("rwlock_t");
      case SEQLOCK -> h.type("seqlock_t");
      case RANGELOCK -> h.type("range_lock_tree");
      case FOLIO -> throw new IllegalArgumentException("folio locks are taken on folios");
    };
  }
}
