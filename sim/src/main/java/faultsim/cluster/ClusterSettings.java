package faultsim.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientNetworkConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Hazelcast configuration of faultsim workers and of the sweeps that use them. Nothing is
 * read from {@code hazelcast.xml} or the environment: a member binds the one address it is given,
 * finds the others only at the {@code host:port} addresses listed, and talks to no one else.
 */
public final class ClusterSettings {
  /** The distributed executor that runs simulation tasks on every member. */
  static final String EXECUTOR = "faultsim-runs";
  /** Member attribute: threads the member runs simulations on. */
  static final String THREADS_ATTRIBUTE = "faultsim.threads";
  /** The port a worker listens on unless told otherwise (Hazelcast's usual one). */
  public static final int DEFAULT_PORT = 5701;
  /** The cluster name a worker joins unless told otherwise. */
  public static final String DEFAULT_CLUSTER_NAME = "faultsim";

  /** Held so the levels set on them are not lost when the loggers are collected. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
  private static final Logger CLIENT_LOG = Logger.getLogger("com.hazelcast.client");

  private ClusterSettings() {}

  /**
   * Hazelcast logs through java.util.logging: members at WARNING (start-up banner and membership
   * chatter stay quiet, problems still show), the sweep's client at SEVERE (a connection attempt
   * that fails would log a stack trace per retry; the sweep reports what matters in one line). A
   * {@code hazelcast.logging.type} or level set by the user wins.
   */
  static void quietLogging() {
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "jdk");
    }
    if (HAZELCAST_LOG.getLevel() == null) {
      HAZELCAST_LOG.setLevel(Level.WARNING);
    }
    if (CLIENT_LOG.getLevel() == null) {
      CLIENT_LOG.setLevel(Level.SEVERE);
    }
  }

  /**
   * A worker member: binds {@code bind:port} only, joins the {@code join} members by TCP/IP,
   * runs simulations on {@code threads} threads.
   */
  public static Config member(String clusterName, String bind, int port, List<String> join,
      int threads) throws UnknownHostException {
    quietLogging();
    Config c = new Config();
    c.setClusterName(clusterName);
    c.setInstanceName(clusterName + "-" + bind + "-" + port);
    commonProperties(c.getProperties());
    c.setProperty("hazelcast.socket.bind.any", "false");
    c.setProperty("hazelcast.health.monitoring.level", "OFF");
    c.getJetConfig().setEnabled(false);

    NetworkConfig net = c.getNetworkConfig();
    net.setPort(port).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface(InetAddress.getByName(bind).getHostAddress());
    JoinConfig j = net.getJoin();
    j.getMulticastConfig().setEnabled(false);
    j.getAutoDetectionConfig().setEnabled(false);
    j.getTcpIpConfig().setEnabled(true).setMembers(join.isEmpty() ? List.of(bind + ":" + port)
        : join);

    c.getExecutorConfig(EXECUTOR).setPoolSize(threads).setQueueCapacity(0)
        .setStatisticsEnabled(false);
    c.getMemberAttributeConfig().setAttribute(THREADS_ATTRIBUTE, Integer.toString(threads));
    serialization(c.getSerializationConfig());
    return c;
  }

  /** A sweep's client of the cluster {@code clusterName} whose members include {@code addresses}. */
  public static ClientConfig client(String clusterName, List<String> addresses,
      long connectTimeoutMillis) {
    quietLogging();
    ClientConfig c = new ClientConfig();
    c.setClusterName(clusterName);
    commonProperties(c.getProperties());
    ClientNetworkConfig net = c.getNetworkConfig();
    net.setAddresses(List.copyOf(addresses));
    net.getAutoDetectionConfig().setEnabled(false);
    c.getConnectionStrategyConfig().getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(connectTimeoutMillis)
        .setInitialBackoffMillis(200).setMaxBackoffMillis(2000);
    serialization(c.getSerializationConfig());
    return c;
  }

  private static void commonProperties(java.util.Properties p) {
    p.setProperty("hazelcast.phone.home.enabled", "false");
    p.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
  }

  /**
   * Tasks travel as {@link RunCallable} (Hazelcast's own IdentifiedDataSerializable format), so
   * Java deserialisation is needed for nothing and is refused for every class outside faultsim.
   */
  private static void serialization(SerializationConfig s) {
    s.addDataSerializableFactory(RunCallable.FACTORY_ID, new RunCallable.Factory());
    s.setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
        .setDefaultsDisabled(true)
        .setWhitelist(new ClassFilter().addPrefixes("faultsim.")));
  }
}
