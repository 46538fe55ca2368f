package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a report page's links, for the report tests. */
final class ReportLinks {
  private static final Pattern REF = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

  private ReportLinks() {}

  /**
   * Asserts that every {@code src} and {@code href} of {@code html} resolves: an anchor to an
   * {@code id} on the page, anything else to a file under {@code dir}. Returns how many there are.
   */
  static int checkAll(String html, Path dir) {
    Matcher refs = REF.matcher(html);
    int n = 0;
    while (refs.find()) {
      String ref = refs.group(1);
      if (ref.startsWith("#")) {
        assertThat(html).as("anchor target").contains("id=\"" + ref.substring(1) + "\"");
      } else {
        assertThat(dir.resolve(ref)).as("link target").exists();
      }
      n++;
    }
    return n;
  }
}
