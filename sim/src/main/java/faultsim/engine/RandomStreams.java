package faultsim.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import umontreal.ssj.rng.MRG32k3a;
import umontreal.ssj.rng.RandomStream;

/**
 * Named MRG32k3a streams, one per source of randomness, and one substream of each per
 * replication.
 *
 * <p>Common random numbers: the set of source names comes from the workload, never from the
 * design, so replication {@code r} of every design draws its arrivals, think times and accesses
 * from the same substreams, and paired differences between designs are far less noisy than
 * independent runs would be (SSJ's {@code CallCenterCRN} example does the same).
 *
 * <p>Thread safety: {@link MRG32k3a}'s constructor advances an unsynchronised static seed, so
 * every base stream is created inside {@link #create} under one global lock, in a fixed order.
 * {@link #forReplication} clones them (no static state is touched) into a fresh set owned by one
 * run; such a set must not be shared between threads.
 */
public final class RandomStreams {
  private static final Object CONSTRUCTION_LOCK = new Object();
  private static final long M1 = 4294967087L;
  private static final long M2 = 4294944443L;

  private final Map<String, MRG32k3a> streams;

  private RandomStreams(Map<String, MRG32k3a> streams) {
    this.streams = streams;
  }

  /**
   * Creates one base stream per name, in the order given, from a package seed derived from
   * {@code seed}. Duplicate names are rejected.
   */
  public static RandomStreams create(long seed, List<String> names) {
    Map<String, MRG32k3a> map = new LinkedHashMap<>();
    synchronized (CONSTRUCTION_LOCK) {
      synchronized (MRG32k3a.class) {
        MRG32k3a.setPackageSeed(packageSeed(seed));
        for (String name : names) {
          if (map.containsKey(name)) {
            throw new IllegalArgumentException("random stream '" + name + "' named twice");
          }
          map.put(name, new MRG32k3a(name));
        }
      }
    }
    return new RandomStreams(Collections.unmodifiableMap(map));
  }

  /**
   * A set of independent copies of these streams, each positioned at the start of substream
   * {@code replication} (0-based). The copies share no state with this set or with each other.
   */
  public RandomStreams forReplication(int replication) {
    if (replication < 0) {
      throw new IllegalArgumentException("replication must be >= 0, was " + replication);
    }
    Map<String, MRG32k3a> copies = new LinkedHashMap<>();
    for (Map.Entry<String, MRG32k3a> e : streams.entrySet()) {
      MRG32k3a copy = e.getValue().clone();
      copy.resetStartStream();
      for (int i = 0; i < replication; i++) {
        copy.resetNextSubstream();
      }
      copies.put(e.getKey(), copy);
    }
    return new RandomStreams(Collections.unmodifiableMap(copies));
  }

  /**
   * Copies of these streams, each back at the start of its current substream: a replication
   * run again from the beginning draws the same numbers.
   */
  public RandomStreams restarted() {
    Map<String, MRG32k3a> copies = new LinkedHashMap<>();
    for (Map.Entry<String, MRG32k3a> e : streams.entrySet()) {
      MRG32k3a copy = e.getValue().clone();
      copy.resetStartSubstream();
      copies.put(e.getKey(), copy);
    }
    return new RandomStreams(Collections.unmodifiableMap(copies));
  }

  /** The stream for a source of randomness. */
  public RandomStream stream(String name) {
    MRG32k3a s = streams.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "no random stream named '" + name + "'; known: " + new ArrayList<>(streams.keySet()));
    }
    return s;
  }

  public List<String> names() {
    return List.copyOf(streams.keySet());
  }

  /** Six seed words in MRG32k3a's valid ranges, spread from one 64-bit seed by SplitMix64. */
  static long[] packageSeed(long seed) {
    long[] words = new long[6];
    long x = seed;
    for (int i = 0; i < 6; i++) {
      x += 0x9E3779B97F4A7C15L;
      long z = x;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      long m = i < 3 ? M1 : M2;
      words[i] = 1 + Math.floorMod(z, m - 1);
    }
    return words;
  }
}
