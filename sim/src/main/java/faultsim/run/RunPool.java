package faultsim.run;

import java.util.Map;
import java.util.concurrent.Future;

/**
 * Where a sweep's runs and a hunt's schedules execute: this machine's cores ({@link
 * LocalRunPool}) or the members of a cluster (package {@code faultsim.cluster}, loaded only when
 * a sweep or hunt is given one). The caller submits {@link PoolTask}s, keeps {@link #capacity()}
 * of them in flight, collects the encoded results and submits again any task that {@link
 * #lostBecause} says was lost with the host running it.
 */
public interface RunPool extends AutoCloseable {
  /**
   * Runs to keep in flight now: enough to keep every thread busy while results travel back. It
   * may change as members join and leave; 0 means wait.
   *
   * @throws IllegalStateException if the pool can run nothing any more (the cluster is gone)
   */
  int capacity();

  /** Starts a task; the future yields the bytes its {@link PoolTask#call} returns. */
  Future<byte[]> submit(PoolTask task);

  /**
   * Why {@code run} failed without fault of its own (the member running it left, or shut down),
   * so it should run again elsewhere; {@code null} if the failure is the run's own.
   */
  String lostBecause(Future<byte[]> run, Throwable failure);

  /** One line saying where runs execute, e.g. {@code 2 threads on this machine}. */
  String describe();

  /** What results' manifests record about where the runs executed. */
  Map<String, Object> manifestInfo();

  @Override
  void close();
}
