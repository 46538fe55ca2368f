package faultsim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** In-JVM workers for the cluster tests: Hazelcast members on 127.0.0.1, one thread each. */
final class Workers {
  private Workers() {}

  /**
   * Starts two workers of {@code clusterName} that join each other, adds them to
   * {@code members} (the test stops them), and returns their addresses.
   */
  static List<String> startTwo(String clusterName, List<HazelcastInstance> members)
      throws IOException {
    int[] ports = freePorts(2);
    List<String> addresses = List.of("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1]);
    for (int port : ports) {
      members.add(Worker.start(clusterName, "127.0.0.1", port, addresses, 1));
    }
    assertThat(members.get(members.size() - 1).getCluster().getMembers()).hasSize(2);
    return addresses;
  }

  /** Ports free on 127.0.0.1 a moment ago, from the ephemeral range. */
  static int[] freePorts(int n) throws IOException {
    int[] out = new int[n];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        out[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return out;
  }
}
