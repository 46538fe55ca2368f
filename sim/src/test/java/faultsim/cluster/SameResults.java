package faultsim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Two sweep (or hunt) directories hold the same results: the same files, byte for byte, except each
 * point's {@code manifest.json}, which must agree in everything but the fields that say how the
 * run executed (wall-clock seconds, local threads or cluster name), and the manifest's line of
 * {@code SHA256SUMS}.
 */
final class SameResults {
  static final List<String> EXECUTION_FIELDS = List.of("wall_seconds", "threads", "cluster");

  private SameResults() {}

  static void assertSameResults(Path actual, Path expected) throws IOException {
    assertThat(files(expected)).contains(Path.of("sweep.csv"));
    assertSameFiles(actual, expected);
  }

  /**
   * The same files, byte for byte, but for the manifests' execution fields and their lines of
   * {@code SHA256SUMS}.
   */
  static void assertSameFiles(Path actual, Path expected) throws IOException {
    List<Path> files = files(expected);
    assertThat(files(actual)).isEqualTo(files);
    ObjectMapper json = new ObjectMapper();
    for (Path f : files) {
      if (f.getFileName().toString().equals("manifest.json")) {
        ObjectNode a = (ObjectNode) json.readTree(actual.resolve(f).toFile());
        ObjectNode e = (ObjectNode) json.readTree(expected.resolve(f).toFile());
        a.remove(EXECUTION_FIELDS);
        e.remove(EXECUTION_FIELDS);
        assertThat(a).as(f.toString()).isEqualTo(e);
      } else if (f.getFileName().toString().equals("SHA256SUMS")) {
        assertThat(sumsButManifest(actual.resolve(f))).as(f.toString())
            .isEqualTo(sumsButManifest(expected.resolve(f)));
      } else {
        assertThat(Files.mismatch(actual.resolve(f), expected.resolve(f))).as(f.toString())
            .isEqualTo(-1L);
      }
    }
  }

  /** The lines of {@code SHA256SUMS} but those of the points' manifest.json files. */
  static List<String> sumsButManifest(Path sums) throws IOException {
    return Files.readAllLines(sums).stream().filter(l -> !l.endsWith("manifest.json")).toList();
  }

  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }
}
