package faultsim.results;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A results directory claimed for one run or sweep before anything is simulated. Claiming checks
 * that the place can hold results (its nearest existing ancestor is a writable directory on a
 * real file system), that an existing directory there may be replaced ({@link
 * ResultsDirectory#whyNotReplaceable}) and takes a lock file beside it ({@code .<name>.lock}), so
 * that a second run into the same place fails at once instead of both reporting success and one
 * losing its results. It also removes what killed runs left in the same parent: temporary
 * directories ({@code .<name>.partial-<digits>}) that hold faultsim's marker and whose writing
 * process is gone. Closing releases the lock.
 */
public final class OutputTarget implements AutoCloseable {
  /** The marker a temporary results directory holds while it is written: the writer's pid. */
  static final String PARTIAL_MARKER = ".faultsim-partial";

  /** Names of temporary directories faultsim makes beside a target. */
  private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.(partial|old)-\\d+");

  /** File systems that are views of the kernel, not storage. */
  private static final Set<String> PSEUDO_FS = Set.of("proc", "sysfs", "devtmpfs", "devpts",
      "cgroup", "cgroup2", "debugfs", "tracefs", "securityfs", "configfs", "pstore", "bpf",
      "mqueue", "hugetlbfs", "fusectl", "binfmt_misc", "efivarfs", "autofs", "rpc_pipefs");

  private final Path dir;
  private final String named;
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;

  private OutputTarget(Path dir, String named, Path lockFile, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.named = named;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims {@code dir} for a run's results. {@code named} says how the user gave it, for
   * messages ({@code --out keep}, or {@code reports/x (the workload's name)}).
   *
   * @param replace whether an existing directory there will be replaced as a whole (a run), or
   *     resumed in place (a sweep: then it must be one faultsim made for a sweep, or empty)
   */
  public static OutputTarget claim(Path dir, String named, boolean replace)
      throws InputException, IOException {
    Path abs = dir.toAbsolutePath().normalize();
    if (abs.getFileName() == null) {
      throw bad(named, "is the root directory; give a directory to write the results into");
    }
    Path parent = abs.getParent();
    checkLocation(parent, named);
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw bad(named, "cannot create " + parent + " (" + reason(e) + ")");
    }
    Path lockFile = parent.resolve("." + abs.getFileName() + ".lock");
    OutputTarget t = lock(abs, named, lockFile);
    try {
      t.removeOrphans();
      t.checkReplaceable(replace);
    } catch (InputException | IOException | RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /** The claimed directory, absolute. */
  public Path dir() {
    return dir;
  }

  /**
   * Checks that the directory may be replaced by new results (or, for a sweep, resumed), and
   * fails with a message naming it otherwise. Called at the claim and again just before the
   * results are moved into place, since the user may have put files there during the run.
   */
  public void checkReplaceable(boolean replace) throws InputException, IOException {
    Optional<String> why = replace ? ResultsDirectory.whyNotReplaceable(dir)
        : whyNotSweepDir(dir);
    if (why.isPresent()) {
      throw bad(named, why.get() + "; faultsim replaces only directories it wrote itself: move"
          + " it away or give another --out");
    }
  }

  /** A sweep directory is resumed in place: it must be empty, absent, or made by a sweep. */
  private static Optional<String> whyNotSweepDir(Path dir) throws IOException {
    Optional<String> what = ResultsDirectory.whatIsThere(dir, "a sweep directory");
    if (what == null || what.isPresent()) {
      return what == null ? Optional.empty() : what;
    }
    return Files.isRegularFile(dir.resolve(SWEEP_MARKER), LinkOption.NOFOLLOW_LINKS)
        ? Optional.empty()
        : Optional.of("is not a faultsim sweep directory (it has no " + SWEEP_MARKER + ")");
  }

  /** The file that marks a directory as a sweep's, written when a sweep starts in it. */
  public static final String SWEEP_MARKER = "sweep.json";

  private static void checkLocation(Path parent, String named) throws InputException {
    Path existing = parent;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw bad(named, "has no existing ancestor directory");
    }
    if (!Files.isDirectory(existing)) {
      throw bad(named, "lies under " + existing + ", which is a file, not a directory");
    }
    try {
      FileStore store = Files.getFileStore(existing);
      if (PSEUDO_FS.contains(store.type().toLowerCase(Locale.ROOT))) {
        throw bad(named, "lies under " + existing + ", on " + store.type() + ", a file system"
            + " that shows kernel state and cannot hold files");
      }
      if (store.isReadOnly()) {
        throw bad(named, "lies under " + existing + ", on a read-only file system");
      }
    } catch (IOException e) {
      throw bad(named, "cannot examine " + existing + " (" + reason(e) + ")");
    }
    if (!Files.isWritable(existing)) {
      throw bad(named, "lies under " + existing + ", which this user cannot write to");
    }
  }

  private static OutputTarget lock(Path abs, String named, Path lockFile)
      throws InputException, IOException {
    for (int attempt = 0; ; attempt++) {
      Object before = fileKey(lockFile);
      FileChannel ch;
      try {
        ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ);
      } catch (IOException e) {
        throw bad(named, "cannot create the lock file " + lockFile + " (" + reason(e) + ")");
      }
      FileLock l = null;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        String holder = holder(ch);
        ch.close();
        throw bad(named, "another faultsim " + holder + " is writing results there now; wait"
            + " for it to end or give another --out");
      }
      // The file may have been removed by its previous holder between our open and our lock,
      // and another run may have made a new one: the lock counts only if the name refers to
      // the same file before the open and after the lock. (The file is never opened a second
      // time: closing any descriptor of it would drop this process's POSIX lock.)
      Object after = fileKey(lockFile);
      if (after != null && after.equals(before == null ? after : before)) {
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
            .getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
        return new OutputTarget(abs, named, lockFile, ch, l);
      }
      l.release();
      ch.close();
      if (attempt > 100) {
        throw bad(named, "the lock file " + lockFile + " keeps changing under this run");
      }
    }
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private static String holder(FileChannel ch) {
    try {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
      ch.read(b, 0);
      String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
      return pid.matches("\\d+") ? "run (pid " + pid + ")" : "run";
    } catch (IOException e) {
      return "run";
    }
  }

  /** Removes temporary directories beside the target left by runs that were killed. */
  private void removeOrphans() throws IOException {
    Path parent = dir.getParent();
    try (Stream<Path> s = Files.list(parent)) {
      for (Path p : s.sorted().toList()) {
        if (TEMPORARY.matcher(p.getFileName().toString()).matches()
            && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isOrphan(p)) {
          ResultsWriter.deleteTree(p);
        }
      }
    }
  }

  /**
   * Whether {@code tmp} is a temporary directory of a faultsim run that is gone: it holds the
   * marker, and the process the marker names is not running, or started after the directory was
   * made (its pid was reused).
   */
  static boolean isOrphan(Path tmp) throws IOException {
    Path marker = tmp.resolve(PARTIAL_MARKER);
    if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    String text = Files.readString(marker, StandardCharsets.US_ASCII).strip();
    if (!text.matches("\\d{1,18}")) {
      return false;
    }
    long pid = Long.parseLong(text);
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return true;
    }
    Optional<Instant> started = h.get().info().startInstant();
    Instant made = Files.getLastModifiedTime(marker).toInstant();
    return started.isPresent() && started.get().isAfter(made);
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName().replace("Exception", "")
        .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)
        + (m == null ? "" : ": " + m);
  }

  private static InputException bad(String named, String what) {
    return new InputException(new Diagnostic(named, 0, 0, what));
  }

  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(lockFile);
    } finally {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }
}
