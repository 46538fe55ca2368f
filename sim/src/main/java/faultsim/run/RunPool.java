package faultsim.run;

import java.util.Map;
import java.util.concurrent.Future;

/**
 * Where a sweep's runs execute: this machine's cores ({@link LocalRunPool}) or the members of a
 * cluster (package {@code faultsim.cluster}, loaded only when a sweep is given one). The sweep
 * submits {@link RunTask}s, keeps {@link #capacity()} of them in flight, collects the encoded
 * results and submits again any run that {@link #lostBecause} says was lost with the host running
 * it.
 */
public interface RunPool extends AutoCloseable {
  /**
   * Runs to keep in flight now: enough to keep every thread busy while results travel back. It
   * may change as members join and leave; 0 means wait.
   *
   * @throws IllegalStateException if the pool can run nothing any more (the cluster is gone)
   */
  int capacity();

  /** Starts a run; the future yields {@link ResultCodec}-encoded result bytes. */
  Future<byte[]> submit(RunTask task);

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
