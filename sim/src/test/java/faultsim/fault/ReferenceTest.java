package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.lang.Host;
import faultsim.lang.Primitive;
import faultsim.lang.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code faultsim reference} lists everything the checker accepts, and docs/reference.md is its
 * output (regenerate with {@code ./faultsim reference > docs/reference.md}).
 */
final class ReferenceTest {
  private static final Path DOC = Path.of("..", "docs", "reference.md");

  @Test
  void everyPrimitiveTheCheckerAccepts_isListedWithItsSignature() {
    Host host = KernelHost.create();
    String ref = Reference.render(host);
    assertThat(host.allPrimitives()).isNotEmpty();
    for (Primitive p : host.allPrimitives()) {
      assertThat(ref).as(p.signature()).contains("| `" + p.signature() + "` | `"
          + p.returns().name() + "` |");
    }
  }

  @Test
  void theKernelWrappers_sayWhichLockTheyTakeAndWhereTheKernelKeepsThem() {
    String ref = Reference.render(KernelHost.create());
    assertThat(ref).contains("| `mmap_read_lock(mm_struct)` | `void` | down_read(&mm"
        + "->mmap_lock)");
    assertThat(ref).contains("| `i_mmap_lock_write(address_space)` | `void` |");
    assertThat(ref).containsPattern("\\| `synchronize_rcu\\(\\)` \\| `void` \\| [^|]+ \\|  \\|"
        + " yes \\| kernel/rcu/tree.c \\|");
    assertThat(ref).contains("| `DEFINE_VM_EVENT(NAME);` |");
  }

  @Test
  void docsReference_isTheGeneratedOne() throws Exception {
    assertThat(Files.readString(DOC)).as("docs/reference.md is stale: run ./faultsim reference"
        + " > docs/reference.md").isEqualTo(Reference.render(KernelHost.create()));
  }
}
