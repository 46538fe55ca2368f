package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.lang.CompiledDesign;
import faultsim.lang.DesignLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The design shown in the README compiles against the kernel model and overrides one function. */
class ReadmeDesignTest {
  @Test
  void readmeDesignExample_compilesAndOverridesMapPages() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```\ndesign my_idea extends linux_6_6;");
    assertThat(start).as("the README's design example").isNotNegative();
    String text = readme.substring(start + 4, readme.indexOf("```", start + 4));
    CompiledDesign d = DesignLibrary.compile("README.md", text, null, Designs.host());
    Designs.requireEntryPoints(d);
    assertThat(d.name()).isEqualTo("my_idea");
    assertThat(d.explain()).contains("/* overrides linux_6_6 */\nvm_fault_t vm_ops_map_pages");
  }
}
