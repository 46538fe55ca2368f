package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The design source files the report writes, from the manifest's two forms of a source. */
class DesignSourceTest {
  @Test
  void extendsChain_isWrittenLeafFirst_eachFileHeaded() throws Exception {
    var source = new ObjectMapper().readTree("""
        [{"design": "mine", "file": "mine.design", "text": "design mine extends base;\\n"},
         {"design": "base", "file": "builtin:base", "text": "design base;"}]
        """);
    assertThat(Report.sourceText(source)).isEqualTo("""
        // ==== mine.design ====
        design mine extends base;

        // ==== builtin:base ====
        design base;
        """);
  }

  @Test
  void plainText_isKept() throws Exception {
    var source = new ObjectMapper().readTree("\"(synthetic jobs)\"");
    assertThat(Report.sourceText(source)).isEqualTo("(synthetic jobs)");
  }
}
