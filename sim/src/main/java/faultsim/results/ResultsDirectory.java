package faultsim.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What faultsim wrote in a results directory, so that it never replaces a directory holding
 * anything else. A complete directory carries {@code SHA256SUMS}, one {@code <sha256>  <path>}
 * line per file in {@code sha256sum}'s format (so {@code sha256sum -c SHA256SUMS} checks it),
 * written last. A directory may be replaced only if that list names every file in it, each with
 * its bytes unchanged (files it lists may be missing), and {@code manifest.json} is among them;
 * an empty directory may be replaced too, as it holds nothing to lose.
 */
public final class ResultsDirectory {
  /** The list of the files faultsim wrote, with their SHA-256. */
  public static final String SUMS = "SHA256SUMS";

  private ResultsDirectory() {}

  /** Writes {@link #SUMS} for every regular file below {@code dir}, in path order. */
  public static void seal(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Path> e : files(dir).entrySet()) {
      if (!e.getKey().equals(SUMS)) {
        sb.append(sha256(e.getValue())).append("  ").append(e.getKey()).append('\n');
      }
    }
    Files.writeString(dir.resolve(SUMS), sb.toString(), StandardCharsets.UTF_8);
  }

  /** Whether {@code dir} is a sealed results directory whose files are all as faultsim wrote them. */
  public static boolean isSealed(Path dir) throws IOException {
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        && Files.isRegularFile(dir.resolve(SUMS), LinkOption.NOFOLLOW_LINKS)
        && whyNotReplaceable(dir).isEmpty();
  }

  /**
   * Why {@code dir} must not be replaced by a new results directory, or empty if it may be: it
   * does not exist, is an empty directory, or is a sealed results directory with nothing added,
   * removed or changed.
   */
  public static Optional<String> whyNotReplaceable(Path dir) throws IOException {
    Optional<String> what = whatIsThere(dir, "a results directory");
    if (what == null || what.isPresent()) {
      return what == null ? Optional.empty() : what;
    }
    Path sums = dir.resolve(SUMS);
    if (!Files.isRegularFile(sums, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(dir)) {
        return Optional.of("holds files faultsim did not write (" + sample(s.map(p -> {
          String n = p.getFileName().toString();
          return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? n + "/" : n;
        }).sorted().toList()) + ")");
      }
    }
    Map<String, String> listed = new LinkedHashMap<>();
    for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
      int sep = line.indexOf("  ");
      if (sep != 64) {
        return Optional.of("has a " + SUMS + " that faultsim did not write");
      }
      listed.put(line.substring(sep + 2), line.substring(0, sep));
    }
    if (!listed.containsKey("manifest.json")) {
      return Optional.of("is not a faultsim results directory (its " + SUMS
          + " lists no manifest.json)");
    }
    Set<String> dirsNeeded = new HashSet<>();
    for (String f : listed.keySet()) {
      for (int i = f.indexOf('/'); i > 0; i = f.indexOf('/', i + 1)) {
        dirsNeeded.add(f.substring(0, i));
      }
    }
    List<String> foreign = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        if (p.equals(dir) || p.equals(sums)) {
          continue;
        }
        String rel = relative(dir, p);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          if (!dirsNeeded.contains(rel)) {
            foreign.add(rel + "/");
          }
        } else if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !listed.containsKey(rel)) {
          foreign.add(rel);
        } else if (!listed.get(rel).equals(sha256(p))) {
          changed.add(rel);
        }
      }
    }
    if (!foreign.isEmpty()) {
      return Optional.of("holds files faultsim did not write (" + sample(foreign) + ")");
    }
    if (!changed.isEmpty()) {
      return Optional.of("holds files changed since faultsim wrote them (" + sample(changed) + ")");
    }
    return Optional.empty();
  }

  /**
   * What stands at {@code dir} before faultsim writes there: null if nothing, or an empty
   * directory (nothing to lose); a reason if it is not a directory ({@code kind} names what was
   * expected); empty if it is a directory with entries, for the caller to examine.
   */
  static Optional<String> whatIsThere(Path dir, String kind) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (Files.isSymbolicLink(dir)) {
      return Optional.of("is a symbolic link; give the directory itself");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(Files.isRegularFile(dir, LinkOption.NOFOLLOW_LINKS)
          ? "is a file, not " + kind : "is not a directory");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty() ? null : Optional.empty();
    }
  }

  private static String sample(List<String> names) {
    return names.size() <= 3 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
  }

  /** Every regular file below {@code dir}, by its path relative to it with '/' separators. */
  private static Map<String, Path> files(Path dir) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted()
          .toList()) {
        out.put(relative(dir, p), p);
      }
    }
    return out;
  }

  private static String relative(Path dir, Path p) {
    return dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
