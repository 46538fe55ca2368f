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

  /**
   * Each name's place in {@link #streams}: made once by {@link #create} and shared, never
   * changed, by every copy, so a replication of a thousand tasks builds no map of its own.
   */
  private final Map<String, Integer> index;
  /** The streams, in the order their names were given. */
  private final MRG32k3a[] streams;

  private RandomStreams(Map<String, Integer> index, MRG32k3a[] streams) {
    this.index = index;
    this.streams = streams;
  }

  /**
   * Creates one base stream per name, in the order given, from a package seed derived from
   * {@code seed}. Duplicate names are rejected.
   */
  public static RandomStreams create(long seed, List<String> names) {
    Map<String, Integer> index = new LinkedHashMap<>();
    MRG32k3a[] streams = new MRG32k3a[names.size()];
    synchronized (CONSTRUCTION_LOCK) {
      synchronized (MRG32k3a.class) {
        MRG32k3a.setPackageSeed(packageSeed(seed));
        for (String name : names) {
          if (index.containsKey(name)) {
            throw new IllegalArgumentException("random stream '" + name + "' named twice");
          }
          streams[index.size()] = new MRG32k3a(name);
          index.put(name, index.size());
        }
      }
    }
    return new RandomStreams(Collections.unmodifiableMap(index), streams);
  }

  /**
   * A set of independent copies of these streams, each positioned at the start of substream
   * {@code replication} (0-based). The copies share no state with this set or with each other.
   */
  public RandomStreams forReplication(int replication) {
    if (replication < 0) {
      throw new IllegalArgumentException("replication must be >= 0, was " + replication);
    }
    return copies(copy -> {
      copy.resetStartStream();
      for (int r = 0; r < replication; r++) {
        copy.resetNextSubstream();
      }
    });
  }

  /**
   * Copies of these streams, each back at the start of its current substream: a replication
   * run again from the beginning draws the same numbers.
   */
  public RandomStreams restarted() {
    return copies(MRG32k3a::resetStartSubstream);
  }

  /** A copy of every stream, each then positioned by {@code position}, sharing the index. */
  private RandomStreams copies(java.util.function.Consumer<MRG32k3a> position) {
    MRG32k3a[] copies = new MRG32k3a[streams.length];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = streams[i].clone();
      position.accept(copies[i]);
    }
    return new RandomStreams(index, copies);
  }

  /** The stream for a source of randomness. */
  public RandomStream stream(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new IllegalArgumentException(
          "no random stream named '" + name + "'; known: " + new ArrayList<>(index.keySet()));
    }
    return streams[i];
  }

  public List<String> names() {
    return List.copyOf(index.keySet());
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
