package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.workload.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Did you mean" against the kernel's own names. A misspelt wrapper is answered with the wrapper
 * and the call it stands for; words in another order find the wrapper they spell, not the
 * nearest string ({@code mmap_lock_read} is two letters from {@code i_mmap_lock_read}, the
 * mapping's i_mmap_rwsem, a different lock, but the same three words as
 * {@code mmap_read_lock}); a lock field's name used as a function lists the calls that take it.
 */
final class KernelSuggestionsTest {
  @TempDir Path dir;

  private String errorOf(String call) throws Exception {
    Path d = dir.resolve("s.design");
    Files.writeString(d, "design s extends linux_6_6;\n"
        + "void probe(struct mm_struct *mm) {\n"
        + "  " + call + "\n"
        + "}\n");
    try {
      Designs.load(d.toString(), null);
    } catch (InputException e) {
      return e.getMessage();
    }
    throw new AssertionError("compiled: " + call);
  }

  @Test
  void wordsInAnotherOrder_suggestTheWrapperTheySpell_withItsKernelCall() throws Exception {
    // "  mmap_lock_read(mm);": the name starts at line 3, column 3.
    assertThat(errorOf("mmap_lock_read(mm);")).contains("s.design:3:3: unknown function"
        + " 'mmap_lock_read'; did you mean 'mmap_read_lock' (down_read(&mm->mmap_lock))?");
    assertThat(errorOf("mmap_unlock_write(mm);")).contains("did you mean 'mmap_write_unlock'"
        + " (up_write(&mm->mmap_lock))?");
  }

  @Test
  void aMisspeltWrapper_namesTheCallItStandsFor() throws Exception {
    assertThat(errorOf("mmap_read_lok(mm);")).contains("unknown function 'mmap_read_lok';"
        + " did you mean 'mmap_read_lock' (down_read(&mm->mmap_lock))?");
    assertThat(errorOf("filemap_invalidate_lock_shard(mm);")).contains("did you mean"
        + " 'filemap_invalidate_lock_shared' (down_read(&mapping->invalidate_lock))?");
  }

  @Test
  void aMisspeltPlainPrimitive_hasNoWrapperNote() throws Exception {
    assertThat(errorOf("rcu_read_lok();")).contains(
        "unknown function 'rcu_read_lok'; did you mean 'rcu_read_lock'?");
  }

  @Test
  void aLockFieldCalledAsAFunction_listsTheCallsThatTakeIt() throws Exception {
    assertThat(errorOf("mmap_lock(mm);")).contains("unknown function 'mmap_lock'; 'mmap_lock'"
        + " is a lock field, taken with mmap_read_lock (down_read(&mm->mmap_lock)) or"
        + " mmap_write_lock (down_write(&mm->mmap_lock))");
  }

  @Test
  void anUnrelatedName_getsNoSuggestion() throws Exception {
    assertThat(errorOf("frobnicate_the_vma(mm);"))
        .contains("unknown function 'frobnicate_the_vma'").doesNotContain("did you mean")
        .doesNotContain("lock field");
  }
}
