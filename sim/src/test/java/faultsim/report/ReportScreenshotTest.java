package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture's report in a real browser: {@code scripts/screenshot-report.sh} opens it in
 * headless Chromium, fails on any console message or missing linked file, and takes a
 * screenshot. Runs only where chromium is already installed, so the build never needs the
 * network (the script itself installs it when run by hand).
 */
final class ReportScreenshotTest {
  static final Path SCRIPT = Path.of("..", "scripts", "screenshot-report.sh");

  static boolean chromiumInstalled() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "chromium"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void fixtureReport_opensInChromiumWithoutConsoleErrors(@TempDir Path tmp) throws Exception {
    assumeTrue(chromiumInstalled(), "chromium is not installed");
    Path dir = ReportFixture.copy(tmp);
    Report.render(dir);
    Path shot = tmp.resolve("screenshot.png");
    Path log = tmp.resolve("script.log");

    Process p = new ProcessBuilder("bash", SCRIPT.toString(), dir.toString(), shot.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }

    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(finished).as("script finished: %s", output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    BufferedImage img = ImageIO.read(shot.toFile());
    assertThat(img).isNotNull();
    assertThat(img.getWidth()).isEqualTo(1280);
  }
}
