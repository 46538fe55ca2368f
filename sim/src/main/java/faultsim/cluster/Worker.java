package faultsim.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * A faultsim worker: a Hazelcast member that runs the simulation tasks sweeps and hunts hand
 * out, on a fixed number of threads. It holds no data; results are written by the sweep or hunt.
 */
public final class Worker {
  private Worker() {}

  /** Starts a worker member; see {@link ClusterSettings#member}. */
  public static HazelcastInstance start(String clusterName, String bind, int port,
      List<String> join, int threads) throws UnknownHostException {
    return Hazelcast.newHazelcastInstance(
        ClusterSettings.member(clusterName, bind, port, join, threads));
  }

  /**
   * Runs a worker until it is shut down (Ctrl-C, or SIGTERM), printing one line when it starts
   * and one per member that joins or leaves. Returns the exit status.
   */
  public static int serve(String clusterName, String bind, int port, List<String> join,
      int threads, PrintWriter out) throws InputException, InterruptedException {
    String address = bind != null ? bind : defaultBind(join);
    HazelcastInstance hz;
    try {
      hz = start(clusterName, address, port, join, threads);
    } catch (UnknownHostException e) {
      throw new InputException(new Diagnostic("--bind " + address, 0, 0,
          "unknown host: " + e.getMessage()));
    } catch (HazelcastException e) {
      throw new InputException(new Diagnostic("--port " + port, 0, 0,
          "cannot start a worker on " + address + ":" + port + ": " + e.getMessage()));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
        stopped.countDown();
      }
    });
    if (!hz.getLifecycleService().isRunning()) {
      stopped.countDown();
    }
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {
        print(out, "member joined: " + address(e.getMember()), e);
      }

      @Override
      public void memberRemoved(MembershipEvent e) {
        print(out, "member left: " + address(e.getMember()), e);
      }
    });
    synchronized (out) {
      out.printf(Locale.ROOT, "faultsim worker: cluster %s, listening on %s:%d, %d thread%s;"
          + " members: %s%n", clusterName, address, port, threads, threads == 1 ? "" : "s",
          addresses(hz.getCluster().getMembers()));
      out.flush();
    }
    stopped.await();
    return 0;
  }

  private static void print(PrintWriter out, String what, MembershipEvent e) {
    synchronized (out) {
      out.println("faultsim worker: " + what + "; members: " + addresses(e.getMembers()));
      out.flush();
    }
  }

  private static String addresses(java.util.Collection<Member> members) {
    return String.join(" ", members.stream().map(Worker::address).toList());
  }

  static String address(Member m) {
    return m.getAddress().getHost() + ":" + m.getAddress().getPort();
  }

  /**
   * The address a worker listens on when not told: the first {@code --join} host that is an
   * address of this machine, else the loopback address, so nothing is exposed by default.
   */
  public static String defaultBind(List<String> join) {
    for (String hp : join) {
      String host = hp.lastIndexOf(':') > 0 ? hp.substring(0, hp.lastIndexOf(':')) : hp;
      try {
        InetAddress a = InetAddress.getByName(host);
        if (a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null) {
          return a.getHostAddress();
        }
      } catch (UnknownHostException | SocketException e) {
        // not this machine's; try the next
      }
    }
    return "127.0.0.1";
  }
}
