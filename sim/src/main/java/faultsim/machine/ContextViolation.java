package faultsim.machine;

/**
 * A sleeping primitive called in atomic context: inside an RCU read section or with a spinlock
 * held ("BUG: sleeping function called from invalid context").
 *
 * @param timeNs when
 * @param task which task
 * @param operation the sleeping primitive, e.g. {@code down_read(&mapping->invalidate_lock)}
 * @param context what made the context atomic, e.g. {@code rcu_read_lock} or the spinlocks held
 */
public record ContextViolation(long timeNs, String task, String operation, String context) {}
