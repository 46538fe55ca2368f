package faultsim.run;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs on this machine: a fixed pool of daemon threads, one run per thread at a time. */
public final class LocalRunPool implements RunPool {
  private final int threads;
  private final ExecutorService executor;

  public LocalRunPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    this.threads = threads;
    this.executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "faultsim-run");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public int capacity() {
    return 2 * threads;
  }

  @Override
  public Future<byte[]> submit(PoolTask task) {
    return executor.submit(task);
  }

  @Override
  public String lostBecause(Future<byte[]> run, Throwable failure) {
    return null;
  }

  @Override
  public String describe() {
    return threads + (threads == 1 ? " thread" : " threads") + " on this machine";
  }

  @Override
  public Map<String, Object> manifestInfo() {
    return Map.of("threads", threads);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
