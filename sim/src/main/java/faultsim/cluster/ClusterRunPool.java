package faultsim.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.HazelcastClientNotActiveException;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import faultsim.hunt.HuntTask;
import faultsim.run.PoolTask;
import faultsim.run.RunPool;
import faultsim.run.RunPoolException;
import faultsim.run.RunTask;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a sweep's runs or a hunt's schedules on the workers of a cluster, as a Hazelcast
 * client. Each run goes to the
 * member with the most free threads (every worker announces its thread count); two runs per
 * thread are kept in flight so no worker waits for the next one. A run whose member leaves, shuts
 * down or cannot be reached is reported lost, and the sweep hands it out again; that member gets
 * no more work. Not thread-safe: one sweep's thread uses it.
 */
public final class ClusterRunPool implements RunPool {
  /** How long connecting waits for a first member, and reconnecting for any member. */
  public static final long CONNECT_TIMEOUT_MILLIS = 30_000;

  private final HazelcastInstance client;
  private final IExecutorService executor;
  private final String clusterName;
  private final long timeoutMillis;
  /** Runs in flight, and the member each went to; failed ones stay until {@link #lostBecause}. */
  private final Map<Future<byte[]>, Member> placed = new IdentityHashMap<>();
  private final Set<UUID> lost = new HashSet<>();

  private ClusterRunPool(HazelcastInstance client, String clusterName, long timeoutMillis) {
    this.client = client;
    this.clusterName = clusterName;
    this.timeoutMillis = timeoutMillis;
    this.executor = client.getExecutorService(ClusterSettings.EXECUTOR);
  }

  /**
   * Connects to the cluster {@code clusterName} through any of {@code addresses}
   * ({@code host:port}); fails with a message naming them if no worker answers within
   * {@code timeoutMillis}.
   */
  public static ClusterRunPool connect(List<String> addresses, String clusterName,
      long timeoutMillis) throws InputException {
    try {
      return new ClusterRunPool(HazelcastClient.newHazelcastClient(
          ClusterSettings.client(clusterName, addresses, timeoutMillis)), clusterName,
          timeoutMillis);
    } catch (IllegalStateException | com.hazelcast.core.HazelcastException e) {
      throw new InputException(new Diagnostic("--cluster " + String.join(",", addresses), 0, 0,
          "no faultsim worker of cluster '" + clusterName + "' answered within "
              + timeoutMillis / 1000 + " s; start workers with ./faultsim worker --cluster-name "
              + clusterName + " (" + e.getMessage() + ")"));
    }
  }

  /** {@link #connect(List, String, long)} with {@link #CONNECT_TIMEOUT_MILLIS}. */
  public static RunPool connect(List<String> addresses, String clusterName)
      throws InputException {
    return connect(addresses, clusterName, CONNECT_TIMEOUT_MILLIS);
  }

  @Override
  public int capacity() {
    int c = 0;
    for (Member m : members()) {
      c += 2 * threads(m);
    }
    return c;
  }

  @Override
  public Future<byte[]> submit(PoolTask task) {
    List<Member> members = members();
    if (members.isEmpty()) {
      throw new RunPoolException("no worker left in cluster '" + clusterName + "'", null);
    }
    Map<UUID, Integer> busy = new LinkedHashMap<>();
    for (var it = placed.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().isDone()) {
        busy.merge(e.getValue().getUuid(), 1, Integer::sum);
      } else if (!failed(e.getKey())) {
        it.remove();
      }
    }
    Member best = null;
    int bestFree = Integer.MIN_VALUE;
    for (Member m : members) {
      int free = 2 * threads(m) - busy.getOrDefault(m.getUuid(), 0);
      if (free > bestFree) {
        best = m;
        bestFree = free;
      }
    }
    Future<byte[]> f;
    try {
      f = executor.submitToMember(wire(task), best);
    } catch (RuntimeException e) {
      if (lossOf(e) == null) {
        throw e;
      }
      f = CompletableFuture.failedFuture(e);
    }
    placed.put(f, best);
    return f;
  }

  /** The task as it travels: a sweep's run or a hunt's schedule. */
  private static Callable<byte[]> wire(PoolTask task) {
    if (task instanceof RunTask r) {
      return new RunCallable(r);
    } else if (task instanceof HuntTask h) {
      return new HuntCallable(h);
    }
    throw new IllegalArgumentException("no wire format for " + task.getClass().getName());
  }

  @Override
  public String lostBecause(Future<byte[]> run, Throwable failure) {
    Member m = placed.remove(run);
    String kind = lossOf(failure);
    if (kind == null || !client.getLifecycleService().isRunning()) {
      return null;
    }
    if (m == null) {
      return kind;
    }
    lost.add(m.getUuid());
    return "member " + Worker.address(m) + " was lost: " + kind;
  }

  /** The name of the Hazelcast failure that means a member went away, or null. */
  static String lossOf(Throwable t) {
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof HazelcastClientNotActiveException) {
        return null;
      }
      if (c instanceof MemberLeftException || c instanceof HazelcastInstanceNotActiveException
          || c instanceof TargetNotMemberException || c instanceof TargetDisconnectedException
          || c instanceof RejectedExecutionException) {
        return c.getClass().getSimpleName();
      }
    }
    return null;
  }

  private static boolean failed(Future<byte[]> f) {
    try {
      f.get(0, TimeUnit.NANOSECONDS);
      return false;
    } catch (ExecutionException | CancellationException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Members still in the cluster that lost no run. */
  private List<Member> members() {
    try {
      if (!client.getLifecycleService().isRunning()) {
        throw new HazelcastClientNotActiveException("client is shut down");
      }
      List<Member> out = new ArrayList<>();
      for (Member m : client.getCluster().getMembers()) {
        if (!lost.contains(m.getUuid())) {
          out.add(m);
        }
      }
      return out;
    } catch (HazelcastClientNotActiveException e) {
      throw new RunPoolException("lost the connection to cluster '" + clusterName
          + "': no worker answered for " + timeoutMillis / 1000 + " s", e);
    }
  }

  private static int threads(Member m) {
    String t = m.getAttribute(ClusterSettings.THREADS_ATTRIBUTE);
    try {
      return t == null ? 1 : Math.max(1, Integer.parseInt(t));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  @Override
  public String describe() {
    List<Member> ms = members();
    int threads = ms.stream().mapToInt(ClusterRunPool::threads).sum();
    return "cluster '" + clusterName + "': " + ms.size() + (ms.size() == 1 ? " worker, " :
        " workers, ") + threads + (threads == 1 ? " thread" : " threads");
  }

  @Override
  public Map<String, Object> manifestInfo() {
    return Map.of("cluster", clusterName);
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
