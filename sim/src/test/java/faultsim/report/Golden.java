package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/faultsim/report/golden/}. They are rewritten only
 * when asked ({@code -Dfaultsim.updateGolden=true}); review the diff before committing them.
 */
final class Golden {
  static final Path DIR = ReportFixture.RESOURCES.resolve("golden");

  private Golden() {}

  static void assertMatches(String name, String actual) throws IOException {
    Path file = DIR.resolve(name);
    if (Boolean.getBoolean("faultsim.updateGolden")) {
      Files.createDirectories(DIR);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden file %s (create it with -Dfaultsim.updateGolden=true)", file)
        .exists();
    assertThat(actual).as("output against golden file %s", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
